//! `adultwork webcam wait`: each exit code, the booking on stdout, one stderr line per status
//! change when piped; and the shell integration commands (`completions`, `man`).

use std::process::Stdio;
use std::time::Duration;

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::common::*;

/// Creates a webcam booking with `user` (Skype) and returns its ID.
fn book(env: &Env, user: &str) -> String {
    let results = env.ok(webcam_create(&[user], &in_days(2)));
    results[0]["BookingID"]
        .as_i64()
        .expect("a booking ID")
        .to_string()
}

/// Moves the sandbox's clock a minute on: the default data's self-acting performers (3 s to
/// accept, 5 s more to confirm, 2 s to reject) have all answered by then.
fn a_minute_later(env: &Env) {
    env.control("clock", json!({ "AdvanceMinutes": 1 }));
}

fn wait_args(id: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["webcam", "wait", "--booking-id", id, "--interval", "10ms"]
        .map(String::from)
        .to_vec();
    args.extend(extra.iter().map(ToString::to_string));
    args
}

fn stdout_json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn stderr_lines(out: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn an_answered_booking_exits_0_with_the_booking_on_stdout_and_one_line_on_stderr() {
    let env = Env::start();
    let id = book(&env, "123461");
    a_minute_later(&env);
    let out = env
        .cmd(CLIENT_TOKEN)
        .args(wait_args(&id, &[]))
        .assert()
        .code(0)
        .get_output()
        .clone();
    // A minute on, the performer has accepted and confirmed: accepted, and then some.
    let booking = stdout_json(&out);
    assert_eq!(booking["Status"], "Confirmed");
    assert!(booking["AcceptedDate"].is_string(), "{booking}");
    assert_eq!(booking["WebcamBookingID"].to_string(), id);
    assert_eq!(
        stderr_lines(&out),
        [format!("webcam booking {id} is Confirmed (after 0s)")]
    );
}

#[test]
fn piped_progress_is_one_line_per_status_change_and_nothing_else() {
    let env = Env::start();
    let id = book(&env, "123461");
    // Spawned, so the clock can move while it polls.
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("adultwork"))
        .env_remove("ADULTWORK_TOKEN")
        .env_remove("ADULTWORK_BASE_URL")
        .args(["--base-url", env.url(), "--token", CLIENT_TOKEN])
        .args(wait_args(
            &id,
            &["--until", "confirmed", "--max-interval", "20ms"],
        ))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Many polls see Pending; then the performer accepts and confirms at once.
    std::thread::sleep(Duration::from_millis(300));
    a_minute_later(&env);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = stderr_lines(&out);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines[0],
        format!("webcam booking {id} is Pending (after 0s)")
    );
    assert!(
        lines[1].starts_with(&format!("webcam booking {id} is Confirmed (after ")),
        "{lines:?}"
    );
    assert_eq!(stdout_json(&out)["Status"], "Confirmed");
}

#[test]
fn a_rejected_booking_exits_5_and_still_prints_it() {
    let env = Env::start();
    let id = book(&env, "123462");
    a_minute_later(&env);
    let out = env
        .cmd(CLIENT_TOKEN)
        .args(wait_args(&id, &[]))
        .assert()
        .code(5)
        .get_output()
        .clone();
    assert_eq!(stdout_json(&out)["Status"], "Rejected");
    assert_eq!(
        stderr_lines(&out).last().unwrap(),
        &format!("error: webcam booking {id} is Rejected: it cannot become accepted")
    );
    // Settled is reached by a rejection.
    env.cmd(CLIENT_TOKEN)
        .args(wait_args(&id, &["--until", "settled"]))
        .assert()
        .code(0);
}

#[test]
fn a_wait_nobody_answers_exits_124_at_its_timeout() {
    let env = Env::start();
    let id = book(&env, "123456");
    let out = env
        .cmd(CLIENT_TOKEN)
        .args(wait_args(&id, &["--timeout", "300ms"]))
        .assert()
        .code(124)
        .get_output()
        .clone();
    assert_eq!(stdout_json(&out)["Status"], "Pending");
    let last = stderr_lines(&out).pop().unwrap();
    assert!(
        last.starts_with("error: gave up after 0.3s waiting for accepted")
            && last.ends_with(&format!("(webcam booking {id} is Pending)")),
        "{last}"
    );
}

#[test]
fn api_errors_exit_1_and_transport_failures_exit_3() {
    let env = Env::start();
    env.cmd(CLIENT_TOKEN)
        .args(wait_args("999999", &[]))
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("404"));
    // Nothing listening: polled through until the timeout, then the connect error. (The
    // timeout leaves the first poll, with the client's own retries of a refused connect,
    // time to fail even on a loaded machine; cut mid-poll, the wait would be exit 124.)
    adultwork()
        .args([
            "--base-url",
            &format!("http://{}", closed_port()),
            "--token",
            CLIENT_TOKEN,
        ])
        .args(wait_args("1", &["--timeout", "2s"]))
        .assert()
        .code(3)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("could not connect"));
    // An answer that is not a booking will not become one: exit 3 at once.
    let fake = FakeServer::start("200 OK", r#"{"not": "a booking"}"#);
    adultwork()
        .args(["--base-url", &fake.url, "--token", CLIENT_TOKEN])
        .args(wait_args("1", &[]))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("could not decode"));
    // Bad input: exit 2, nothing sent.
    env.cmd(CLIENT_TOKEN)
        .args(wait_args("0", &[]))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("BookingID"));
    env.cmd(CLIENT_TOKEN)
        .args(wait_args("1", &["--until", "paid"]))
        .assert()
        .code(2);
}

#[test]
fn as_user_waits_through_the_group_manager_endpoint() {
    let env = Env::start();
    let id = book(&env, "123461");
    a_minute_later(&env);
    let out = env
        .cmd(MANAGER_TOKEN)
        .arg("--as-user")
        .arg("100001")
        .args(wait_args(&id, &[]))
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert_eq!(stdout_json(&out)["Status"], "Confirmed");
}

#[test]
fn wait_help_lists_its_exit_codes() {
    let text = stdout_of(&["webcam", "wait", "--help"]);
    for expected in [
        "GET /v1/Webcam/MadeBookingDetails",
        "  0    the booking reached the state",
        "  5    the booking reached a state from which the target cannot come",
        "  124  gave up at --timeout",
        "accepted",
        "confirmed",
        "settled",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}:\n{text}");
    }
    adultwork()
        .arg("--help")
        .assert()
        .stdout(predicate::str::contains(
            "124  `webcam wait`: gave up at --timeout",
        ));
}

#[test]
fn completion_scripts_are_printed_for_every_shell_and_bash_parses_its_own() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        // Every command and a flag of the newest one are completed.
        for word in [
            "webcam",
            "phonechat",
            "sandbox",
            "completions",
            "booking-id",
        ] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
        let checker = match shell {
            "bash" => Some(("bash", "-n")),
            "zsh" => Some(("zsh", "-n")),
            "fish" => Some(("fish", "--no-execute")),
            _ => None,
        };
        let Some((program, flag)) = checker else {
            continue;
        };
        let path = std::env::temp_dir().join(format!(
            "adultwork-completion-{}.{shell}",
            std::process::id()
        ));
        std::fs::write(&path, &script).unwrap();
        match std::process::Command::new(program)
            .arg(flag)
            .arg(&path)
            .output()
        {
            Ok(check) => assert!(
                check.status.success(),
                "{program} {flag} rejects the script: {}",
                String::from_utf8_lossy(&check.stderr)
            ),
            Err(_) => eprintln!("{program} is not installed here: its script is not parsed"),
        }
        let _ = std::fs::remove_file(&path);
    }
    adultwork().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_man_page_is_roff_that_groff_reads_without_warnings() {
    let page = stdout_of(&["man"]);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq"),
        "{}",
        &page[..80.min(page.len())]
    );
    assert!(page.contains(".TH adultwork 1"), "no title header");
    for word in ["webcam", "phonechat", "ADULTWORK_TOKEN"] {
        assert!(page.contains(word), "the man page lacks {word}");
    }
    match std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(mut groff) => {
            use std::io::Write;
            groff
                .stdin
                .take()
                .unwrap()
                .write_all(page.as_bytes())
                .unwrap();
            let checked = groff.wait_with_output().unwrap();
            assert!(checked.status.success());
            assert_eq!(
                String::from_utf8_lossy(&checked.stderr),
                "",
                "groff warnings"
            );
        }
        Err(_) => eprintln!("groff is not installed here: the man page is not typeset"),
    }
}

#[test]
fn on_a_terminal_progress_is_a_spinner_that_is_cleared_at_the_end() {
    let env = Env::start();
    let id = book(&env, "123456");
    let log = std::env::temp_dir().join(format!("adultwork-wait-tty-{}", std::process::id()));
    let command = format!(
        "{} --base-url {} --token {CLIENT_TOKEN} webcam wait --booking-id {id} --interval 50ms \
         --max-interval 50ms --timeout 600ms >/dev/null",
        assert_cmd::cargo::cargo_bin("adultwork").display(),
        env.url()
    );
    // util-linux `script` runs the command with a pseudo-terminal as stderr.
    let Ok(out) = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command])
        .arg(&log)
        .stdout(Stdio::null())
        .output()
    else {
        eprintln!("`script` is not installed here: the terminal spinner is not checked");
        return;
    };
    assert_eq!(out.status.code(), Some(124));
    let tty = String::from_utf8_lossy(&std::fs::read(&log).unwrap()).into_owned();
    let _ = std::fs::remove_file(&log);
    assert!(
        tty.contains(&format!(
            "webcam booking {id} is Pending; waiting until accepted"
        )),
        "{tty}"
    );
    // Redrawn in place (carriage return, erase line), not one line per poll.
    assert!(tty.contains("\r\u{1b}[2K"), "{tty:?}");
    assert!(!tty.contains("(after "), "{tty}");
    assert!(tty.contains("error: gave up after 0.6s"), "{tty}");
}
