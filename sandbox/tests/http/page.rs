//! The page at `/_sandbox/`: what it lists, that request strings come out inert, and that it
//! has the control endpoints' protections. (The browser test is `tests/browser.rs`.)

use adultwork::Format;
use adultwork_sandbox::Sandbox;
use serde_json::json;

use super::common::*;

#[tokio::test]
async fn the_page_lists_every_booking_the_clock_and_the_fault_rules() {
    let s = sandbox().await;
    populate(&s).await;
    s.faults()
        .add_json(
            r#"{"Rules": [{"Operation": "create_phone_chat_booking", "Times": 2,
                "Effect": {"Delay": {"Millis": 5}}}]}"#,
        )
        .unwrap();
    let a = page(&s).await;
    assert!(a.content_type.starts_with("text/html"), "{a:?}");
    let csp = a.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let row = |id: &str| page_row(&a.body, id);
    // Webcam 1 was accepted, so its sibling 2 was cancelled; phone chat 1 is pending.
    let accepted = row("webcam-1");
    assert!(
        accepted.contains("<td class=\"status\">Accepted</td>"),
        "{accepted}"
    );
    assert!(accepted.contains("JosepheneBlogs (123456)"), "{accepted}");
    assert!(accepted.contains("ClientUserOnSkype"), "{accepted}");
    assert!(accepted.contains("2018-02-01T12:00"), "{accepted}");
    assert!(
        accepted.contains("aria-label=\"Confirm webcam booking 1\">"),
        "confirm enabled: {accepted}"
    );
    assert!(
        accepted.contains("aria-label=\"Accept webcam booking 1\" disabled>"),
        "{accepted}"
    );
    assert!(row("webcam-2").contains("<td class=\"status\">Cancelled</td>"));
    let phone = row("phonechat-1");
    assert!(
        phone.contains("<td class=\"status\">Pending</td>"),
        "{phone}"
    );
    assert!(phone.contains("I had a great time"), "{phone}");
    assert!(
        phone.contains("<label for=\"phonechat-1-reason\">Reason</label>"),
        "{phone}"
    );
    assert!(
        phone.contains("aria-label=\"Reject phone-chat booking 1\">"),
        "{phone}"
    );
    assert!(
        a.body
            .contains("<time id=\"now\" datetime=\"2018-01-01T11:00:00\">"),
        "{}",
        a.body
    );
    assert!(a.body.contains("data-advance=\"60\""));
    assert!(
        a.body.contains("<td>create_phone_chat_booking</td>"),
        "{}",
        a.body
    );

    // A pending booking past its AcceptBy shows as the API says: rejected.
    s.clock().advance(chrono::TimeDelta::days(60)).unwrap();
    let later = page(&s).await;
    assert!(later.body.contains("2018-03-02T11:00:00"), "{}", later.body);
    assert!(page_row(&later.body, "phonechat-1").starts_with(
        "<tr id=\"phonechat-1\"><th scope=\"row\">1</th><td class=\"status\">Rejected</td>"
    ));
}

#[tokio::test]
async fn strings_from_requests_come_out_inert() {
    let s = sandbox().await;
    let evil = "<script>alert(1)</script>";
    let ids = create_webcam(
        &s,
        &with(
            webcam_sample(),
            json!({"SignInNameOrEmail": evil, "BookUserIDs": "123456"}),
        ),
    )
    .await;
    assert_eq!(ids, [1]);
    let a = control(
        &s,
        "/_sandbox/webcam/1/reject",
        Some(json!({"Reason": "\"><img src=x onerror=alert(2)>"})),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = post(
        &s,
        "/v1/PhoneChat/CreateBooking",
        Format::Json,
        &with(
            phone_chat_sample(),
            json!({"Comments": "</td><script>alert(3)</script>'"}),
        ),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    s.faults()
        .add_json(
            r#"{"Rules": [{"Operation": "*", "Token": "<b>tok</b>", "Effect": {"Reset": {}}}]}"#,
        )
        .unwrap();
    let body = page(&s).await.body;
    // The only script is the page's own, served from the sandbox.
    assert_eq!(body.matches("<script").count(), 1, "{body}");
    assert!(body.contains("<script src=\"/_sandbox/page.js\" defer></script>"));
    assert!(!body.contains("<img"), "{body}");
    assert!(!body.contains("<b>"), "{body}");
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{body}"
    );
    assert!(
        body.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"),
        "{body}"
    );
    assert!(
        body.contains("&lt;/td&gt;&lt;script&gt;alert(3)&lt;/script&gt;&#39;"),
        "{body}"
    );
    assert!(body.contains("&lt;b&gt;tok&lt;/b&gt;"), "{body}");
}

#[tokio::test]
async fn the_page_has_the_control_endpoints_protections() {
    let s = sandbox().await;
    for (header, value) in [
        ("Host", "evil.example:8080"),
        ("Origin", "http://evil.example"),
    ] {
        let res = http()
            .get(format!("{}/_sandbox/", s.base_url()))
            .header(header, value)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{header}: {value}");
    }
    let js = call(&s, "GET", "/_sandbox/page.js", None, Format::Json, None).await;
    assert_eq!(js.status, 200);
    assert!(js.content_type.starts_with("text/javascript"), "{js:?}");
    assert!(
        js.body.contains("\"Content-Type\": \"application/json\""),
        "{}",
        js.body
    );
    let css = call(&s, "GET", "/_sandbox/page.css", None, Format::Json, None).await;
    assert!(css.content_type.starts_with("text/css"), "{css:?}");

    let off = Sandbox::builder().control(false).start().await.unwrap();
    for path in ["/_sandbox/", "/_sandbox/page.js"] {
        let a = call(&off, "GET", path, None, Format::Json, None).await;
        assert_eq!(a.status, 404, "{path}");
    }
}
