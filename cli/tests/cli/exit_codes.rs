//! Exit codes: 1 the API answered with an error, 2 invalid input found before sending
//! (and then nothing is sent), 3 transport failure or an undecodable answer.

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
