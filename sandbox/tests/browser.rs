//! The page at `/_sandbox/` in a real browser: headless Chromium driven over WebDriver
//! (chromedriver). A booking made through the SDK is accepted by clicking, and another is
//! rejected with the keyboard alone; the page and the API both show the change.
//!
//! Needs `chromium` and `chromedriver` (Debian: `apt-get install chromium chromium-driver`);
//! without them the test says so and passes, unless `ADULTWORK_BROWSER_TEST=require` (set by
//! `.ci/run`), when it fails. `ADULTWORK_SCREENSHOT=FILE` saves a PNG of the page.

#[allow(dead_code)]
#[path = "http/common.rs"]
mod common;

use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use adultwork::types::{CreatePhoneChatBookingRequest, CreateWebcamBookingRequest};
use adultwork::{BookingStatus, Format};
use fantoccini::Locator;
use serde_json::json;

use crate::common::*;

/// WebDriver's Tab and Enter keys.
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// Says something on the terminal even while the test harness captures output.
fn tell(text: &str) {
    let _ = writeln!(std::io::stderr(), "browser test: {text}");
}

/// The first of `names` found on `PATH` (or the path in `env`, if set).
fn find(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Kills and reaps the process, and removes the directory, when dropped.
struct Cleanup {
    driver: Child,
    profile: PathBuf,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[tokio::test]
async fn a_person_accepts_and_rejects_bookings_on_the_page() {
    let started = Instant::now();
    let required = std::env::var("ADULTWORK_BROWSER_TEST").is_ok_and(|v| v == "require");
    let chromium = find(
        "CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let driver = find("CHROMEDRIVER", &["chromedriver"]);
    let (Some(chromium), Some(driver)) = (chromium, driver) else {
        let missing = "no chromium and chromedriver on PATH \
                       (apt-get install chromium chromium-driver)";
        assert!(!required, "{missing}, and ADULTWORK_BROWSER_TEST=require");
        tell(&format!("SKIPPED: {missing}"));
        return;
    };

    let port = free_port();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let profile =
        std::env::temp_dir().join(format!("adultwork-browser-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&profile).unwrap();
    let cleanup = Cleanup {
        driver: Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
        profile,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let sandbox = sandbox().await;
    let sdk = client(&sandbox, Format::Json);
    // Two invitees, no phone chat.
    let webcam = with(
        webcam_sample(),
        json!({"BookUserIDs": "123456,123457", "AlsoPhoneChat": null, "PhoneNumber": null}),
    );
    let webcam: CreateWebcamBookingRequest = serde_json::from_value(webcam).unwrap();
    sdk.create_webcam_booking(webcam).await.unwrap();
    let phone: CreatePhoneChatBookingRequest = serde_json::from_value(phone_chat_sample()).unwrap();
    sdk.create_phone_chat_booking(phone.clone()).await.unwrap();
    // A second one stays pending (so the screenshot shows live buttons).
    sdk.create_phone_chat_booking(phone).await.unwrap();
    sandbox
        .faults()
        .add_json(
            r#"{"Rules": [{"Operation": "get_made_webcam_booking_details", "Times": 2,
                "Effect": {"Respond": {"Status": 503, "Message": "Try later", "RetryAfter": 1}}}]}"#,
        )
        .unwrap();

    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--window-size=1400,1250",
                format!("--user-data-dir={}", cleanup.profile.display()),
            ]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let browser = fantoccini::ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");
    let launched = started.elapsed();

    let result = async {
        let page = format!("{}/_sandbox/", sandbox.base_url());
        browser.goto(&page).await?;
        let status = |row: &str, want: &str| {
            format!("//tr[@id='{row}']/td[@class='status'][normalize-space()='{want}']")
        };
        browser
            .find(Locator::XPath(&status("webcam-1", "Pending")))
            .await?;

        // Accept webcam booking 1 by clicking.
        browser
            .find(Locator::Css("button[aria-label='Accept webcam booking 1']"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(&status("webcam-1", "Accepted")))
            .await?;
        let flash = browser.find(Locator::Id("flash")).await?.text().await?;
        assert_eq!(flash, "Webcam booking 1 accepted.");
        // The other invitee's booking was cancelled, as the page now says.
        browser
            .find(Locator::XPath(&status("webcam-2", "Cancelled")))
            .await?;

        // Reject phone-chat booking 1 with the keyboard: type the reason, Tab, Enter.
        let reason = browser.find(Locator::Id("phonechat-1-reason")).await?;
        reason.send_keys("Not tonight").await?;
        reason.send_keys(TAB).await?;
        let focused = browser.active_element().await?;
        assert_eq!(
            focused.attr("aria-label").await?.as_deref(),
            Some("Reject phone-chat booking 1")
        );
        focused.send_keys(ENTER).await?;
        browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(&status("phonechat-1", "Rejected")))
            .await?;
        let row = browser
            .find(Locator::Id("phonechat-1"))
            .await?
            .text()
            .await?;
        assert!(row.contains("Rejected: Not tonight"), "{row}");
        let flash = browser.find(Locator::Id("flash")).await?.text().await?;
        assert_eq!(flash, "Phone-chat booking 1 rejected.");

        if let Some(path) = std::env::var_os("ADULTWORK_SCREENSHOT") {
            std::fs::write(&path, browser.screenshot().await?).expect("screenshot saved");
            tell(&format!(
                "screenshot saved to {}",
                PathBuf::from(path).display()
            ));
        }
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let _ = browser.close().await;
    result.expect("the page works in the browser");

    // The API agrees with the page.
    sandbox.faults().clear();
    assert_eq!(
        sdk.webcam_booking(1).await.unwrap().status,
        BookingStatus::Accepted
    );
    let phone = sandbox.state().any_phone_chat_booking(1).unwrap();
    assert_eq!(phone.status, BookingStatus::Rejected);
    assert_eq!(phone.rejected_reason.as_deref(), Some("Not tonight"));
    drop(cleanup);
    tell(&format!(
        "passed in {:.1} s (browser launched in {:.1} s)",
        started.elapsed().as_secs_f64(),
        launched.as_secs_f64()
    ));
}
