//! `adultwork sandbox` (a foreground server) and `adultwork demo`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::common::*;

/// A spawned `adultwork sandbox`, killed when dropped.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Server {
    fn spawn(args: &[&str]) -> Self {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("adultwork"))
            .arg("sandbox")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn adultwork sandbox");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self { child, lines }
    }

    /// Reads stdout until a line contains `needle`; returns everything read.
    fn read_until(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut text = String::new();
        while Instant::now() < deadline {
            match self.lines.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    text.push_str(&line);
                    text.push('\n');
                    if line.contains(needle) {
                        return text;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        panic!("`adultwork sandbox` never printed {needle:?}; it printed:\n{text}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn create_against(url: &str) {
    let args = webcam_create(&["123456"], &in_days(2));
    adultwork()
        .args(["--base-url", url, "--token", CLIENT_TOKEN])
        .args(&args)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"Status\": 0"));
}

#[test]
fn sandbox_serves_in_the_foreground_and_prints_its_url_and_tokens() {
    // `--port 0` picks a free port; the first line names the real one (CI scripts grep it).
    let server = Server::spawn(&["--port", "0"]);
    let text = server.read_until("Ctrl-C");
    let first = text.lines().next().unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL on the first line: {first}"));
    assert!(!url.ends_with(":0"), "{url}");
    assert!(
        text.contains(CLIENT_TOKEN) && text.contains(MANAGER_TOKEN),
        "{text}"
    );
    assert!(text.contains("manager 100002 manages 100001"), "{text}");
    create_against(url);
}

#[cfg(unix)]
#[test]
fn sandbox_stops_cleanly_on_ctrl_c() {
    let port = free_port();
    let mut server = Server::spawn(&["--port", &port.to_string(), "--bind", "127.0.0.1"]);
    server.read_until(CLIENT_TOKEN);
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status after Ctrl-C: {status}");
            break;
        }
        assert!(Instant::now() < deadline, "still running 10 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
    server.read_until("stopped");
    // The port is free again.
    std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port was released");
}

/// One raw HTTP/1.1 request to `url` (`http://127.0.0.1:PORT`); the whole answer.
fn raw_request(url: &str, request_line: &str, content_type: &str) -> String {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{request_line}\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    answer
}

fn url_of(text: &str) -> &str {
    text.split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL: {text}"))
}

#[test]
fn sandbox_without_control_endpoints_answers_404_for_them() {
    let server = Server::spawn(&[
        "--port",
        "0",
        "--no-control",
        "--header-timeout",
        "5s",
        "--idle-timeout",
        "2m",
    ]);
    let text = server.read_until("Ctrl-C");
    assert!(text.contains("The control endpoints are off"), "{text}");
    let url = url_of(&text);
    let answer = raw_request(url, "POST /_sandbox/reset HTTP/1.1", "application/json");
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    create_against(url);
}

#[test]
fn sandbox_control_endpoints_refuse_a_form_post() {
    let server = Server::spawn(&["--port", "0"]);
    let url = url_of(&server.read_until("Ctrl-C")).to_string();
    let answer = raw_request(
        &url,
        "POST /_sandbox/reset HTTP/1.1",
        "application/x-www-form-urlencoded",
    );
    assert!(answer.starts_with("HTTP/1.1 415"), "{answer}");
    let answer = raw_request(&url, "POST /_sandbox/reset HTTP/1.1", "application/json");
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");
}

#[test]
fn sandbox_timeouts_need_a_unit() {
    adultwork()
        .args(["sandbox", "--header-timeout", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a unit"));
    adultwork()
        .args(["sandbox", "--max-connections", "0"])
        .assert()
        .code(2);
}

#[test]
fn sandbox_reads_a_data_file() {
    let dir = std::env::temp_dir().join(format!("adultwork-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("data.json");
    let default = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../sandbox/data/default.json"
    ))
    .unwrap();
    std::fs::write(&path, default.replace(CLIENT_TOKEN, "my-own-client-token")).unwrap();
    let port = free_port();
    let server = Server::spawn(&[
        "--port",
        &port.to_string(),
        "--data",
        path.to_str().unwrap(),
    ]);
    let text = server.read_until("my-own-client-token");
    assert!(!text.contains(CLIENT_TOKEN), "{text}");
    let url = format!("http://127.0.0.1:{port}");
    let args = webcam_create(&["123456"], &in_days(2));
    adultwork()
        .args(["--base-url", &url, "--token", "my-own-client-token"])
        .args(&args)
        .assert()
        .success();
    adultwork()
        .args(["--base-url", &url, "--token", CLIENT_TOKEN])
        .args(&args)
        .assert()
        .code(1);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sandbox_with_a_bad_data_file_exits_2() {
    adultwork()
        .args([
            "sandbox",
            "--port",
            "0",
            "--data",
            "/nonexistent/adultwork-data.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/adultwork-data.json"));
}

#[test]
fn sandbox_on_a_busy_port_exits_3() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    adultwork()
        .args(["sandbox", "--port", &port])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(&port));
}

#[test]
fn demo_walks_through_every_operation_and_exits_0() {
    let started = Instant::now();
    let out = adultwork()
        .env("ADULTWORK_TOKEN", "a-real-token-the-demo-must-not-use")
        .env("ADULTWORK_BASE_URL", format!("http://{}", closed_port()))
        .arg("demo")
        .timeout(Duration::from_secs(60))
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "POST /v1/Webcam/CreateBooking",
        "Status 0",
        "Status 1",
        "Status 2",
        "/accept",
        "GET /v1/Webcam/MadeBookingDetails?BookingID=1",
        "$ adultwork --format xml webcam details",
        "identical",
        "GET /v1/Groups/Webcam/MadeBookingDetails?UserID=100001&BookingID=1",
        "POST /v1/Webcam/CancelMadeBooking",
        "exit code 1: error: the API answered 400",
        "POST /v1/Webcam/RescheduleMadeBooking",
        "POST /v1/PhoneChat/CreateBooking",
        "Method 1 (call-me)",
        "Method 2 (i-call)",
        "Method 3 (skype)",
        "exit code 2: error: invalid request: BookUserIDs",
        "nothing was sent",
        "\"WebcamBookingID\": 1",
        "$ adultwork webcam wait --booking-id 4",
        "Accepted",
        "exit code 0: booking 4 is Accepted",
        "exit code 5: error: webcam booking 5 is Rejected: it cannot become accepted",
        "[17/17]",
        "Done",
    ] {
        assert!(
            text.contains(expected),
            "the demo's output lacks {expected:?}:\n{text}"
        );
    }
    assert!(!text.contains("a-real-token-the-demo-must-not-use"));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the demo took {:?}",
        started.elapsed()
    );
}

#[test]
fn sandbox_starts_with_the_fault_rules_of_a_file() {
    let dir = std::env::temp_dir().join(format!("adultwork-cli-faults-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("faults.json");
    std::fs::write(
        &path,
        r#"{"Rules": [{"Operation": "create_webcam_booking", "Times": 1,
            "Effect": {"ApplyThenDrop": {}}}]}"#,
    )
    .unwrap();
    let server = Server::spawn(&["--port", "0", "--faults", path.to_str().unwrap()]);
    let text = server.read_until("Ctrl-C");
    let url = text
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap()
        .to_string();
    // The answer is dropped after the booking was made: exit 4, and the booking is there.
    adultwork()
        .args(["--base-url", &url, "--token", CLIENT_TOKEN])
        .args(webcam_create(&["123456"], &in_days(2)))
        .assert()
        .code(4)
        .stderr(predicate::str::contains("outcome is unknown"));
    adultwork()
        .args(["--base-url", &url, "--token", CLIENT_TOKEN])
        .args(["webcam", "details", "--booking-id", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"Status\": \"Pending\""));

    // A bad rule is bad input naming the file and the field.
    std::fs::write(
        &path,
        r#"{"Rules": [{"Operation": "nope", "Effect": {"Reset": {}}}]}"#,
    )
    .unwrap();
    adultwork()
        .args(["sandbox", "--port", "0", "--faults", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Rules[0].Operation"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// One raw HTTP/1.1 JSON POST with `token`; the whole answer.
fn raw_post(url: &str, path: &str, token: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    answer
}

/// `--now` puts the clock at the docs' epoch, so the docs' own request (a session on
/// 2018-02-01) is in the future; `--frozen` keeps it there.
#[test]
fn sandbox_now_starts_the_clock_at_the_docs_epoch_running_or_frozen() {
    let docs_request = r#"{ "BookUserIDs" : "123456,123457,123458", "SessionDate":"2018-02-01 12:00", "AlsoPhoneChat": true, "PhoneNumber":"0123456789", "Duration":10, "Credits":10, "SoftwareTypeID":3, "SignInNameOrEmail":"BookingUserOnSkype" }"#;
    let path = "/v1/Webcam/CreateBooking";
    for (flags, banner, created) in [
        (
            &["--now", "2018-01-01T11:00", "--frozen"][..],
            "Clock: frozen at 2018-01-01 11:00:00",
            "\"CreateDate\":\"2018-01-01T11:00:00\"",
        ),
        (
            &["--now", "2018-01-01 11:00"][..],
            "Clock: started at 2018-01-01 11:00:00 (--now) and running",
            "\"CreateDate\":\"2018-01-01T11:0",
        ),
    ] {
        let server = Server::spawn(&[&["--port", "0"], flags].concat());
        let text = server.read_until("Ctrl-C");
        assert!(text.contains(banner), "{text}");
        let url = url_of(&text).to_string();
        let answer = raw_post(&url, path, CLIENT_TOKEN, docs_request);
        assert!(answer.starts_with("HTTP/1.1 200"), "{flags:?}: {answer}");
        let details = raw_request(
            &url,
            &format!(
                "GET /v1/Webcam/MadeBookingDetails?BookingID=1 HTTP/1.1\r\nAuthorization: bearer {CLIENT_TOKEN}"
            ),
            "application/json",
        );
        assert!(details.contains(created), "{flags:?}: {details}");
    }
    // Without --now the same request is in the past.
    let server = Server::spawn(&["--port", "0"]);
    let url = url_of(&server.read_until("Ctrl-C")).to_string();
    let answer = raw_post(&url, path, CLIENT_TOKEN, docs_request);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(
        answer.contains("SessionDate must be in the future"),
        "{answer}"
    );
}

#[test]
fn sandbox_frozen_needs_now_and_now_needs_an_instant() {
    adultwork()
        .args(["sandbox", "--frozen"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--now"));
    adultwork()
        .args(["sandbox", "--now", "2018-01-01T11:00Z"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no time zone"));
}
