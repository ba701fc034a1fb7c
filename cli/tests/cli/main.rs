//! The `adultwork` binary against an in-process sandbox: every command, every exit code, the
//! environment variables, both wire formats, the group-manager endpoint, and that the token
//! is never printed.

mod common;
mod exit_codes;
mod secrets;
mod server_and_demo;
mod wait;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn help_explains_the_api_and_the_exit_codes() {
    let text = stdout_of(&["--help"]);
    for expected in [
        "webcam",
        "phonechat",
        "sandbox",
        "demo",
        "--base-url",
        "ADULTWORK_BASE_URL",
        "ADULTWORK_TOKEN",
        "--as-user",
        "Exit codes",
        "  4  the outcome is unknown",
        "first to accept",
    ] {
        assert!(
            text.contains(expected),
            "--help lacks {expected:?}:\n{text}"
        );
    }
    adultwork()
        .args(["webcam", "create", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("POST /v1/Webcam/CreateBooking"))
        .stdout(predicate::str::contains("skype"))
        .stdout(predicate::str::contains("does not use the chosen software"));
    adultwork()
        .args(["phonechat", "create", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("POST /v1/PhoneChat/CreateBooking"))
        .stdout(predicate::str::contains("call-me"))
        .stdout(predicate::str::contains("i-call"));
}

#[test]
fn webcam_create_prints_one_result_per_user_with_the_three_documented_outcomes() {
    let env = Env::start();
    let mut args = webcam_create(&["123456", "123457", "123458"], &in_days(2));
    args.extend(["--also-phone-chat", "--phone-number", "0123456789"].map(String::from));
    let results = env.ok(&args);
    let results = results.as_array().expect("an array");
    assert_eq!(results.len(), 3);
    let by_user = |id: i64| {
        results
            .iter()
            .find(|r| r["UserID"] == id)
            .expect("a result per user")
    };
    assert_eq!(by_user(123456)["Status"], 0);
    assert_eq!(by_user(123456)["AlsoPhoneChat"], true);
    assert!(by_user(123456)["BookingID"].is_i64());
    assert_eq!(by_user(123457)["Status"], 1);
    assert!(by_user(123457)["BookingID"].is_i64());
    assert_eq!(by_user(123458)["Status"], 2);
    assert_eq!(by_user(123458)["BookingID"], Value::Null);
    assert!(
        by_user(123458)["StatusDescription"]
            .as_str()
            .unwrap()
            .contains("Skype")
    );
}

#[test]
fn sms_on_accept_and_also_phone_chat_reach_the_api() {
    let env = Env::start();
    let mut args = webcam_create(&["123456"], &in_days(2));
    args.extend(
        [
            "--sms-on-accept",
            "--also-phone-chat",
            "--phone-number",
            "0123456789",
        ]
        .map(String::from),
    );
    let results = env.ok(&args);
    assert_eq!(results[0]["Status"], 0);
    assert_eq!(results[0]["AlsoPhoneChat"], true);
    // The sandbox's LowBalanceLarry has no verified mobile: only the API knows that.
    env.cmd(adultwork_sandbox::LOW_BALANCE_TOKEN)
        .args(&args)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("mobile"));
}

#[test]
fn software_is_accepted_by_name_or_number() {
    let env = Env::start();
    for software in ["3", "SKYPE"] {
        let mut args = webcam_create(&["123456"], &in_days(2));
        let i = args.iter().position(|a| a == "--software").unwrap();
        args[i + 1] = software.to_string();
        assert_eq!(env.ok(&args)[0]["Status"], 0, "--software {software}");
    }
}

#[test]
fn webcam_details_prints_the_booking_with_the_api_field_names() {
    let env = Env::start();
    let id = env.webcam_booking();
    let b = env.ok(["webcam", "details", "--booking-id", &id.to_string()]);
    assert_eq!(b["WebcamBookingID"], id);
    assert_eq!(b["Status"], "Pending");
    assert_eq!(b["SoftwareTypeID"], 3);
    assert_eq!(b["Performer"]["Nickname"], "JosepheneBlogs");
    assert!(
        b.get("IsMulitple").is_some(),
        "the wire's misspelling is kept: {b}"
    );
    assert_eq!(b["Credits"], 10);
}

#[test]
fn format_xml_still_prints_the_same_json() {
    let env = Env::start();
    let id = env.webcam_booking().to_string();
    env.control(&format!("webcam/{id}/accept"), serde_json::json!({}));
    let json = env.ok(["webcam", "details", "--booking-id", &id]);
    let xml = env.ok(["--format", "xml", "webcam", "details", "--booking-id", &id]);
    assert_eq!(json, xml);
    assert_eq!(xml["Status"], "Accepted");
    assert_eq!(xml["Performer"]["UserID"], 123456);
    // The global flag also works after the subcommand.
    let after = env.ok(["webcam", "details", "--booking-id", &id, "--format", "xml"]);
    assert_eq!(after, json);
}

#[test]
fn cancel_prints_the_cancelled_booking() {
    let env = Env::start();
    let id = env.webcam_booking().to_string();
    let b = env.ok([
        "webcam",
        "cancel",
        "--booking-id",
        &id,
        "--reason",
        "I can't make it.",
    ]);
    assert_eq!(b["Status"], "Cancelled");
    assert_eq!(b["CancelledReason"], "I can't make it.");
    assert_eq!(b["CancelledBy"], "ClientUser");
}

#[test]
fn reschedule_prints_a_new_booking_five_minutes_from_now() {
    let env = Env::start();
    let id = env.webcam_booking();
    // The sandbox reschedules answered bookings only; cancel this one first.
    env.ok([
        "webcam",
        "cancel",
        "--booking-id",
        &id.to_string(),
        "--reason",
        "Later.",
    ]);
    let b = env.ok(["webcam", "reschedule", "--booking-id", &id.to_string()]);
    assert_ne!(b["WebcamBookingID"], id);
    assert_eq!(b["Status"], "Pending");
    let session = b["SessionDate"].as_str().unwrap();
    let in_5 = Utc::now().naive_utc() + chrono::TimeDelta::minutes(5);
    let session = chrono::NaiveDateTime::parse_from_str(&session[..16], "%Y-%m-%dT%H:%M").unwrap();
    assert!(
        (session - in_5).num_minutes().abs() <= 1,
        "{session} vs {in_5}"
    );
}

#[test]
fn phonechat_create_works_for_each_method() {
    let env = Env::start();
    for (method, code, extra) in [
        (
            "call-me",
            1,
            vec!["--phone-number", "0123456789", "--comments", "Hi!"],
        ),
        ("i-call", 2, vec![]),
        ("skype", 3, vec!["--skype-name", "ClientUserOnSkype"]),
        ("2", 2, vec![]),
    ] {
        let mut args = phonechat_create();
        args.extend(["--method".to_string(), method.to_string()]);
        args.extend(extra.iter().map(ToString::to_string));
        let b = env.ok(&args);
        assert_eq!(b["Method"], code, "{method}: {b}");
        assert_eq!(b["Status"], "Pending");
        assert_eq!(b["Candidate"]["UserID"], 123456);
        assert_eq!(b["Duration"], 15);
        if method == "call-me" {
            assert_eq!(b["PhoneNumber"], "0123456789");
            assert_eq!(b["Comments"], "Hi!");
        }
        if method == "skype" {
            assert_eq!(b["SkypeName"], "ClientUserOnSkype");
        }
    }
}

#[test]
fn as_user_reads_through_the_group_manager_endpoint() {
    let env = Env::start();
    let id = env.webcam_booking().to_string();
    let as_client = env.ok(["webcam", "details", "--booking-id", &id]);
    let out = env
        .cmd(MANAGER_TOKEN)
        .args([
            "--as-user",
            "100001",
            "webcam",
            "details",
            "--booking-id",
            &id,
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let as_manager: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(as_manager, as_client);
    // Without --as-user the manager has no such booking of their own.
    env.cmd(MANAGER_TOKEN)
        .args(["webcam", "details", "--booking-id", &id])
        .assert()
        .code(1);
    // The client manages no group.
    env.cmd(CLIENT_TOKEN)
        .args([
            "--as-user",
            "100001",
            "webcam",
            "details",
            "--booking-id",
            &id,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("error: the API answered 403"));
}

#[test]
fn environment_variables_configure_the_base_url_and_token() {
    let env = Env::start();
    let id = env.webcam_booking().to_string();
    let out = adultwork()
        .env("ADULTWORK_BASE_URL", env.url())
        .env("ADULTWORK_TOKEN", CLIENT_TOKEN)
        .args(["webcam", "details", "--booking-id", &id])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let b: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(b["WebcamBookingID"].to_string(), id);
    // Flags win over the environment.
    adultwork()
        .env("ADULTWORK_BASE_URL", format!("http://{}", closed_port()))
        .env("ADULTWORK_TOKEN", "not-a-sandbox-token")
        .args([
            "--base-url",
            env.url(),
            "--token",
            CLIENT_TOKEN,
            "webcam",
            "details",
            "--booking-id",
            &id,
        ])
        .assert()
        .success();
    // The environment's token is used: a wrong one is refused by the API.
    adultwork()
        .env("ADULTWORK_BASE_URL", env.url())
        .env("ADULTWORK_TOKEN", "not-a-sandbox-token")
        .args(["webcam", "details", "--booking-id", &id])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("401"));
}

#[test]
fn the_token_is_never_printed() {
    let env = Env::start();
    let secret = "s3cret-token-do-not-print";
    let id = env.webcam_booking().to_string();
    let fake = FakeServer::start("200 OK", "{\"not\": \"a booking\"}");
    let runs: Vec<(String, Vec<String>)> = vec![
        (
            env.url().to_string(),
            vec![
                "webcam".into(),
                "details".into(),
                "--booking-id".into(),
                id.clone(),
            ],
        ),
        (
            env.url().to_string(),
            vec![
                "webcam".into(),
                "create".into(),
                "--users".into(),
                "1,2,3,4,5".into(),
            ],
        ),
        (
            format!("http://{}", closed_port()),
            vec![
                "webcam".into(),
                "reschedule".into(),
                "--booking-id".into(),
                id.clone(),
            ],
        ),
        (
            fake.url.clone(),
            vec![
                "webcam".into(),
                "details".into(),
                "--booking-id".into(),
                id.clone(),
            ],
        ),
        (env.url().to_string(), vec!["--help".into()]),
        (
            env.url().to_string(),
            vec!["webcam".into(), "details".into(), "--help".into()],
        ),
    ];
    for (url, args) in runs {
        for via_env in [false, true] {
            let mut cmd = adultwork();
            if via_env {
                cmd.env("ADULTWORK_TOKEN", secret)
                    .env("ADULTWORK_BASE_URL", &url);
            } else {
                cmd.args(["--token", secret, "--base-url", &url]);
            }
            let out = cmd.args(&args).output().unwrap();
            let all = [out.stdout, out.stderr].concat();
            let text = String::from_utf8_lossy(&all);
            assert!(
                !text.contains(secret),
                "{args:?} printed the token:\n{text}"
            );
        }
    }
    // A valid sandbox token is not echoed either.
    let out = env
        .cmd(CLIENT_TOKEN)
        .args(["webcam", "details", "--booking-id", &id])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).contains(CLIENT_TOKEN));
}
