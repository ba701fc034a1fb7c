//! Exit codes: 1 the API answered with an error, 2 invalid input found before sending
//! (and then nothing is sent), 3 transport failure with nothing sent or a failed read, 4 a
//! POST's outcome is unknown.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use predicates::prelude::*;

use crate::common::*;

/// Runs `adultwork ARGS` against a server that counts connections, and checks that the
/// command fails with exit code 2, naming `mentions` on stderr, without connecting at all.
fn refused_before_sending<S: AsRef<std::ffi::OsStr>>(args: &[S], mentions: &str) {
    let server = FakeServer::start("200 OK", "[]");
    adultwork()
        .args(["--base-url", &server.url, "--token", CLIENT_TOKEN])
        .args(args)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(mentions));
    let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
    assert_eq!(
        server.connections(),
        0,
        "`{}` sent a request",
        shown.join(" ")
    );
}

#[test]
fn api_errors_exit_1_with_status_and_message() {
    let env = Env::start();
    env.cmd(CLIENT_TOKEN)
        .args(["webcam", "details", "--booking-id", "999999"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::starts_with(
            "error: the API answered 404 Not Found: ",
        ))
        .stderr(predicate::str::contains('\n').count(1));
    env.cmd(NOSCOPE_TOKEN)
        .args(["webcam", "details", "--booking-id", "1"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: the API answered 403 Forbidden: ",
        ));
    // A rule only the server knows: cancelling twice.
    let id = env.webcam_booking().to_string();
    env.cmd(CLIENT_TOKEN)
        .args(["webcam", "cancel", "--booking-id", &id, "--reason", "Busy."])
        .assert()
        .success();
    env.cmd(CLIENT_TOKEN)
        .args(["webcam", "cancel", "--booking-id", &id, "--reason", "Busy."])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("error: the API answered 400"));
    // An XML error body is read the same way.
    env.cmd(CLIENT_TOKEN)
        .args([
            "--format",
            "xml",
            "webcam",
            "details",
            "--booking-id",
            "999999",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: the API answered 404 Not Found: ",
        ));
}

#[test]
fn a_fake_server_error_exits_1_too() {
    let server = FakeServer::start(
        "500 Internal Server Error",
        "{\"Message\":\"Something broke.\"}",
    );
    adultwork()
        .args([
            "--base-url",
            &server.url,
            "--token",
            CLIENT_TOKEN,
            "webcam",
            "reschedule",
            "--booking-id",
            "1",
        ])
        .assert()
        .code(1)
        .stderr("error: the API answered 500 Internal Server Error: Something broke.\n");
    assert_eq!(
        server.connections(),
        1,
        "a POST is sent once, never retried"
    );
}

#[test]
fn invalid_input_exits_2_and_sends_nothing() {
    let past = at(Utc::now().naive_utc() - chrono::TimeDelta::hours(1));
    let five = webcam_create(
        &["123456", "123457", "123458", "123459", "123460"],
        &in_days(2),
    );
    refused_before_sending(&five, "BookUserIDs must name 1 to 4 users (got 5)");
    let past_webcam = webcam_create(&["123456"], &past);
    refused_before_sending(&past_webcam, "SessionDate must be in the future");
    let far = webcam_create(&["123456"], &in_days(100));
    refused_before_sending(&far, "SessionDate");
    let mut phone = phonechat_create();
    phone.extend(["--method", "call-me"].map(String::from));
    refused_before_sending(&phone, "PhoneNumber");
    let mut short = phonechat_create();
    let i = short.iter().position(|a| a == "--duration").unwrap();
    short[i + 1] = "4".into();
    short.extend(["--method", "i-call"].map(String::from));
    refused_before_sending(&short, "Duration");
    refused_before_sending(
        &["webcam", "cancel", "--booking-id", "1", "--reason", "  "],
        "Reason",
    );
    refused_before_sending(&["webcam", "details", "--booking-id", "0"], "BookingID");
}

#[test]
fn usage_errors_exit_2_and_send_nothing() {
    let mut software = webcam_create(&["123456"], &in_days(2));
    let i = software.iter().position(|a| a == "--software").unwrap();
    software[i + 1] = "7".into();
    refused_before_sending(&software, "invalid value '7' for '--software <SOFTWARE>'");
    let mut credits = webcam_create(&["123456"], &in_days(2));
    let i = credits.iter().position(|a| a == "--credits").unwrap();
    credits[i + 1] = "ten".into();
    refused_before_sending(&credits, "decimal");
    let date = webcam_create(&["123456"], "01/12/2026 12:00");
    refused_before_sending(&date, "YYYY-MM-DD HH:MM");
    let mut method = phonechat_create();
    method.extend(["--method", "fax"].map(String::from));
    refused_before_sending(
        &method,
        "[possible values: call-me, i-call, skype, 1, 2, 3]",
    );
    refused_before_sending(&["webcam", "details"], "--booking-id");
    refused_before_sending(
        &[
            "--as-user",
            "100001",
            "webcam",
            "cancel",
            "--booking-id",
            "1",
            "--reason",
            "x",
        ],
        "--as-user 100001 only applies to `webcam details`",
    );
    let mut phone = vec!["--as-user".to_string(), "100001".to_string()];
    phone.extend(phonechat_create());
    phone.extend(["--method", "i-call"].map(String::from));
    refused_before_sending(&phone, "only applies to `webcam details`");
}

#[test]
fn a_missing_token_or_bad_base_url_exits_2() {
    let server = FakeServer::start("200 OK", "[]");
    adultwork()
        .args([
            "--base-url",
            &server.url,
            "webcam",
            "details",
            "--booking-id",
            "1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ADULTWORK_TOKEN"));
    adultwork()
        .args([
            "--base-url",
            "ftp://example.invalid",
            "--token",
            CLIENT_TOKEN,
            "webcam",
            "details",
            "--booking-id",
            "1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("base URL"));
    assert_eq!(server.connections(), 0);
}

#[test]
fn the_sandbox_booking_count_is_unchanged_after_a_refused_request() {
    let env = Env::start();
    let first = env.webcam_booking();
    let five = webcam_create(
        &["123456", "123457", "123458", "123459", "123460"],
        &in_days(2),
    );
    env.cmd(CLIENT_TOKEN).args(&five).assert().code(2);
    let mut past = phonechat_create();
    let i = past.iter().position(|a| a == "--accept-by").unwrap();
    past[i + 1] = at(Utc::now().naive_utc() - chrono::TimeDelta::hours(1));
    past.extend(["--method", "i-call"].map(String::from));
    env.cmd(CLIENT_TOKEN)
        .args(&past)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("AcceptBy"));
    // The next booking gets the next ID: the refused one was never created.
    assert_eq!(env.webcam_booking(), first + 1);
}

#[test]
fn connection_refused_exits_3() {
    let url = format!("http://{}", closed_port());
    for args in [
        vec!["webcam", "details", "--booking-id", "1"],
        vec!["webcam", "reschedule", "--booking-id", "1"],
    ] {
        adultwork()
            .args(["--base-url", &url, "--token", CLIENT_TOKEN])
            .args(&args)
            .assert()
            .code(3)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::starts_with(
                "error: could not connect to the API",
            ));
    }
}

#[test]
fn an_undecodable_answer_exits_3() {
    let server = FakeServer::start("200 OK", "{\"WebcamBookingID\": \"not a number\"");
    adultwork()
        .args([
            "--base-url",
            &server.url,
            "--token",
            CLIENT_TOKEN,
            "webcam",
            "details",
            "--booking-id",
            "1",
        ])
        .assert()
        .code(3)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::starts_with("error: "));
}

/// A server that reads each request and closes the connection without answering.
fn hangs_up_after_reading() -> (tokio::runtime::Runtime, String, Arc<AtomicUsize>) {
    use tokio::io::AsyncReadExt;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    rt.spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut read = Vec::new();
                let mut buf = [0u8; 4096];
                while let Ok(n) = socket.read(&mut buf).await {
                    if n == 0 {
                        return;
                    }
                    read.extend_from_slice(&buf[..n]);
                    if read.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                seen.fetch_add(1, Ordering::SeqCst);
                // Dropped: FIN without an answer.
            });
        }
    });
    (rt, url, requests)
}

#[test]
fn a_post_without_a_definitive_answer_exits_4_and_says_the_booking_may_have_been_made() {
    let (_rt, url, requests) = hangs_up_after_reading();
    let cases: [Vec<String>; 3] = [
        webcam_create(&["123456"], &in_days(2)),
        ["webcam", "cancel", "--booking-id", "1", "--reason", "Ill"]
            .map(String::from)
            .to_vec(),
        ["webcam", "reschedule", "--booking-id", "1"]
            .map(String::from)
            .to_vec(),
    ];
    for args in &cases {
        adultwork()
            .args(["--base-url", &url, "--token", CLIENT_TOKEN])
            .args(args)
            .assert()
            .code(4)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::starts_with("error: the outcome is unknown"))
            .stderr(predicate::str::contains(" may have been "))
            .stderr(predicate::str::contains(
                "before running this command again",
            ))
            .stderr(predicate::str::contains('\n').count(1));
    }
    assert_eq!(requests.load(Ordering::SeqCst), 3, "each POST sent once");
    // The same failure for a read is a transport failure: nothing can have changed.
    adultwork()
        .args(["--base-url", &url, "--token", CLIENT_TOKEN])
        .args(["webcam", "details", "--booking-id", "1"])
        .assert()
        .code(3);
}

#[test]
fn an_undecodable_answer_to_a_create_exits_4_and_names_the_booking_id_that_arrived() {
    let server = FakeServer::start("200 OK", r#"[{"BookingID": 31, "Status": "#);
    let args = webcam_create(&["123456"], &in_days(2));
    adultwork()
        .args(["--base-url", &server.url, "--token", CLIENT_TOKEN])
        .args(&args)
        .assert()
        .code(4)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("the booking may have been made"))
        .stderr(predicate::str::contains(
            "`adultwork webcam details --booking-id 31`",
        ));
    assert_eq!(server.connections(), 1);
}

#[test]
fn a_gateways_502_or_504_to_a_post_exits_4_and_any_other_error_status_exits_1() {
    for (status, code) in [
        ("502 Bad Gateway", 4),
        ("504 Gateway Timeout", 4),
        ("500 Internal Server Error", 1),
        ("503 Service Unavailable", 1),
    ] {
        let server = FakeServer::start(status, r#"{"Message":"upstream trouble"}"#);
        adultwork()
            .args(["--base-url", &server.url, "--token", CLIENT_TOKEN])
            .args(["webcam", "reschedule", "--booking-id", "1"])
            .assert()
            .code(code)
            .stderr(predicate::str::contains("upstream trouble"));
        assert_eq!(server.connections(), 1, "{status}: sent once");
    }
}

#[test]
fn a_redirected_post_exits_1_naming_the_location_and_is_sent_once() {
    let server =
        FakeServer::start_with_headers("307 Temporary Redirect", "Location: /again\r\n", "");
    adultwork()
        .args(["--base-url", &server.url, "--token", CLIENT_TOKEN])
        .args(["webcam", "reschedule", "--booking-id", "1"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("307 Temporary Redirect"))
        .stderr(predicate::str::contains("/again"));
    assert_eq!(server.connections(), 1, "the POST was re-sent");
}

#[test]
fn a_megabyte_error_message_is_one_short_line_on_stderr() {
    let message = format!("{}\\u001b[2J", "x\\n".repeat(500_000));
    let server = FakeServer::start("400 Bad Request", &format!(r#"{{"Message":"{message}"}}"#));
    let out = adultwork()
        .args(["--base-url", &server.url, "--token", CLIENT_TOKEN])
        .args(["webcam", "details", "--booking-id", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.len() < 2048, "{} bytes on stderr", stderr.len());
    assert_eq!(stderr.matches('\n').count(), 1);
    assert!(stderr.contains("more bytes)"), "{stderr}");
}
