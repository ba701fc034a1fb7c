//! A distinctive token, given by flag and by environment, never appears in anything the CLI
//! prints: every command in both formats, succeeding or failing every way it can (API
//! error, invalid input, unreachable server, undecodable answer, a server that echoes the
//! token back); nor in what `adultwork sandbox` prints while a client sends it.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use adultwork_sandbox::{DEFAULT_DATA_JSON, Sandbox, SandboxData};
use tokio::runtime::Runtime;

use crate::common::*;

/// The client's token in these tests; the manager's contains it too.
const SECRET: &str = "tok-SECRET-5f2c9a";
const MANAGER_SECRET: &str = "tok-SECRET-5f2c9a-manager";

/// A sandbox whose client and manager tokens are the secrets.
struct SecretSandbox {
    rt: Runtime,
    url: String,
    _sandbox: Sandbox,
}

impl SecretSandbox {
    fn start() -> Self {
        let data = SandboxData::from_json(
            &DEFAULT_DATA_JSON
                .replace(CLIENT_TOKEN, SECRET)
                .replace(MANAGER_TOKEN, MANAGER_SECRET),
        )
        .unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = rt.block_on(Sandbox::builder().data(data).start()).unwrap();
        Self {
            url: sandbox.base_url(),
            rt,
            _sandbox: sandbox,
        }
    }

    /// A new Pending webcam booking of the client's, made directly in the state.
    fn booking(&self) -> String {
        let req = serde_json::from_value(serde_json::json!({
            "BookUserIDs": "123456", "SessionDate": in_days(2), "Duration": 10,
            "Credits": 10, "SoftwareTypeID": 3, "SignInNameOrEmail": "me"
        }))
        .unwrap();
        let results = self
            ._sandbox
            .state()
            .create_webcam_booking(100_001, &req)
            .unwrap();
        results[0].booking_id.unwrap().to_string()
    }

    /// `POST /_sandbox/webcam/{id}/accept`.
    fn accept(&self, id: &str) {
        let url = format!("{}/_sandbox/webcam/{id}/accept", self.url);
        let status = self
            .rt
            .block_on(reqwest::Client::new().post(url).send())
            .unwrap()
            .status();
        assert!(status.is_success());
    }
}

/// One CLI run: where it goes, the token, the arguments (made afresh for each execution),
/// and the exit code it must have.
struct Run<'a> {
    url: &'a str,
    token: &'static str,
    args: Box<dyn Fn() -> Vec<String> + 'a>,
    code: i32,
}

fn run<'a>(url: &'a str, token: &'static str, args: &[&str], code: i32) -> Run<'a> {
    let args: Vec<String> = args.iter().map(ToString::to_string).collect();
    Run {
        url,
        token,
        args: Box::new(move || args.clone()),
        code,
    }
}

/// Runs `r` with the token by flag, then by environment, in both formats; checks the exit
/// code and that neither stdout nor stderr holds the secret. Returns the first stdout.
fn check(r: &Run) -> String {
    let mut first = None;
    for format in ["json", "xml"] {
        for by_env in [false, true] {
            let mut cmd = adultwork();
            if by_env {
                cmd.env("ADULTWORK_TOKEN", r.token)
                    .env("ADULTWORK_BASE_URL", r.url);
            } else {
                cmd.args(["--token", r.token, "--base-url", r.url]);
            }
            let args = (r.args)();
            let out = cmd
                .args(["--format", format])
                .args(&args)
                .timeout(Duration::from_secs(60))
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout).to_string();
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            let what = format!("{args:?} (--format {format}, token by env {by_env})");
            assert_eq!(out.status.code(), Some(r.code), "{what}\n{stdout}{stderr}");
            for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
                assert!(
                    !text.contains(SECRET),
                    "{what} printed the token on {name}:\n{text}"
                );
                assert!(
                    !text.contains("5f2c9a"),
                    "{what} printed part of the token on {name}:\n{text}"
                );
            }
            first.get_or_insert(stdout);
        }
    }
    first.unwrap()
}

fn webcam_create_args(users: &str) -> Vec<String> {
    webcam_create(&[users], &in_days(2))
}

#[test]
fn every_command_keeps_the_token_out_of_its_output() {
    let sandbox = SecretSandbox::start();
    let url = sandbox.url.clone();

    // Success: create (one invitee, so each run makes exactly one booking to use below).
    let create: Vec<String> = webcam_create_args("123456");
    let args: Vec<&str> = create.iter().map(String::as_str).collect();
    let out = check(&run(&url, SECRET, &args, 0));
    let results: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = results[0]["BookingID"].as_i64().unwrap().to_string();
    sandbox.accept(&id);
    for r in [
        run(&url, SECRET, &["webcam", "details", "--booking-id", &id], 0),
        run(
            &url,
            MANAGER_SECRET,
            &[
                "--as-user",
                "100001",
                "webcam",
                "details",
                "--booking-id",
                &id,
            ],
            0,
        ),
        run(
            &url,
            SECRET,
            &["webcam", "reschedule", "--booking-id", &id],
            0,
        ),
        Run {
            url: &url,
            token: SECRET,
            args: Box::new(|| {
                let id = sandbox.booking();
                [
                    "webcam",
                    "cancel",
                    "--booking-id",
                    &id,
                    "--reason",
                    "I can't make it.",
                ]
                .map(String::from)
                .to_vec()
            }),
            code: 0,
        },
    ] {
        check(&r);
    }
    let phone = phonechat_create();
    for method in [
        vec!["--method", "call-me", "--phone-number", "01234567890"],
        vec!["--method", "i-call"],
        vec!["--method", "skype", "--skype-name", "me.on.skype"],
    ] {
        let args: Vec<&str> = phone.iter().map(String::as_str).chain(method).collect();
        check(&run(&url, SECRET, &args, 0));
    }

    let cancelled = sandbox.booking();
    let req = serde_json::from_value(
        serde_json::json!({ "BookingID": cancelled.parse::<u64>().unwrap(), "Reason": "x" }),
    )
    .unwrap();
    sandbox
        ._sandbox
        .state()
        .cancel_webcam_booking(100_001, &req)
        .unwrap();
    // The API refuses: an unknown booking, a cancelled one, an unknown token that looks like
    // the secret, a manager reading outside the group.
    for r in [
        run(
            &url,
            SECRET,
            &["webcam", "details", "--booking-id", "999999"],
            1,
        ),
        run(
            &url,
            SECRET,
            &[
                "webcam",
                "cancel",
                "--booking-id",
                &cancelled,
                "--reason",
                "Again.",
            ],
            1,
        ),
        run(
            &url,
            "tok-SECRET-5f2c9a-unknown",
            &["webcam", "details", "--booking-id", &id],
            1,
        ),
        run(
            &url,
            MANAGER_SECRET,
            &[
                "--as-user",
                "123456",
                "webcam",
                "details",
                "--booking-id",
                &id,
            ],
            1,
        ),
    ] {
        check(&r);
    }

    // Invalid input, refused before sending.
    let five = webcam_create_args("1,2,3,4,5");
    let five: Vec<&str> = five.iter().map(String::as_str).collect();
    let no_phone: Vec<&str> = phone
        .iter()
        .map(String::as_str)
        .chain(["--method", "call-me"])
        .collect();
    for r in [
        run(&url, SECRET, &five, 2),
        run(&url, SECRET, &no_phone, 2),
        run(&url, SECRET, &["webcam", "details", "--booking-id", "0"], 2),
        run(
            &url,
            SECRET,
            &["webcam", "cancel", "--booking-id", "1", "--reason", " "],
            2,
        ),
        run(&url, SECRET, &["webcam", "frobnicate"], 2),
    ] {
        check(&r);
    }
}

/// Every API command, for the failure runs below.
fn every_api_command() -> Vec<Vec<String>> {
    let mut phone = phonechat_create();
    phone.extend(["--method", "i-call"].map(String::from));
    vec![
        webcam_create_args("123456"),
        ["webcam", "details", "--booking-id", "1"]
            .map(String::from)
            .to_vec(),
        [
            "--as-user",
            "100001",
            "webcam",
            "details",
            "--booking-id",
            "1",
        ]
        .map(String::from)
        .to_vec(),
        ["webcam", "cancel", "--booking-id", "1", "--reason", "x"]
            .map(String::from)
            .to_vec(),
        ["webcam", "reschedule", "--booking-id", "1"]
            .map(String::from)
            .to_vec(),
        phone,
    ]
}

#[test]
fn transport_and_decode_failures_keep_the_token_out_of_their_output() {
    let closed = format!("http://{}", closed_port());
    let garbage = FakeServer::start("200 OK", "<html>not a booking</html>");
    let truncated = FakeServer::start("200 OK", "{\"WebcamBookingID\": 1, \"Dur");
    for args in every_api_command() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        check(&run(&closed, SECRET, &args, 3));
        // An undecodable answer: a failed read (3), or a POST whose outcome is unknown (4).
        let undecodable = if args.contains(&"details") { 3 } else { 4 };
        for url in [&garbage.url, &truncated.url] {
            check(&run(url, SECRET, &args, undecodable));
        }
    }
}

#[test]
fn a_server_that_echoes_the_token_does_not_get_it_printed() {
    // A misconfigured proxy answering with the request it received, headers and all.
    let body =
        format!("{{\"Message\":\"Bad gateway. Request headers: Authorization: bearer {SECRET}\"}}");
    let echo = FakeServer::start("502 Bad Gateway", &body);
    let html = FakeServer::start(
        "500 Internal Server Error",
        &format!("<html><body>Authorization: bearer {SECRET}</body></html>"),
    );
    for args in every_api_command() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // A gateway's 502 to a POST leaves its outcome unknown (4); any other error is 1.
        let from_gateway = if args.contains(&"details") { 1 } else { 4 };
        check(&run(&echo.url, SECRET, &args, from_gateway));
        check(&run(&html.url, SECRET, &args, 1));
    }
}

/// `adultwork sandbox` while a client sends the secret: in the header (unknown token: 401),
/// in the query and in a body. Its whole output, up to and after Ctrl-C, never holds it.
#[cfg(unix)]
#[test]
fn the_sandbox_command_never_prints_a_token_a_client_sent() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("adultwork"))
        .args(["sandbox", "--port", "0"])
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    // Read the banner up to its last line to learn the URL.
    let mut banner = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&banner).contains("Ctrl-C") {
        assert!(
            Instant::now() < deadline,
            "no banner: {}",
            String::from_utf8_lossy(&banner)
        );
        if stdout.read(&mut byte).unwrap() == 0 {
            break;
        }
        banner.push(byte[0]);
    }
    let banner = String::from_utf8_lossy(&banner).to_string();
    let addr = banner
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no URL in {banner}"))
        .to_string();
    let requests = [
        format!(
            "GET /v1/Webcam/MadeBookingDetails?BookingID=1 HTTP/1.1\r\nHost: x\r\nAuthorization: bearer {SECRET}\r\nConnection: close\r\n\r\n"
        ),
        format!(
            "GET /v1/Webcam/MadeBookingDetails?BookingID={SECRET} HTTP/1.1\r\nHost: x\r\nAuthorization: bearer {CLIENT_TOKEN}\r\nConnection: close\r\n\r\n"
        ),
        {
            let body = format!(r#"{{"BookingID":1,"Reason":"{SECRET}"}}"#);
            format!(
                "POST /v1/Webcam/CancelMadeBooking HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {SECRET}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        },
    ];
    let mut statuses = Vec::new();
    for request in &requests {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        statuses.push(answer.split(' ').nth(1).unwrap_or("").to_string());
    }
    assert_eq!(statuses, ["401", "400", "401"]);
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let stderr = err_reader.join().unwrap();
    let all = format!("{banner}{rest}{stderr}");
    assert!(rest.contains("stopped"), "{all}");
    assert!(!all.contains(SECRET) && !all.contains("5f2c9a"), "{all}");
}
