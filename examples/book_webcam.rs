//! Books a webcam session, reads it back in both formats, and cancels it.
//!
//! Run it against a local sandbox:
//!
//! ```sh
//! cargo run -- sandbox --port 8080 &
//! ADULTWORK_BASE_URL=http://127.0.0.1:8080 ADULTWORK_TOKEN=sandbox-client-token \
//!     cargo run -p adultwork --example book_webcam
//! ```

use adultwork::{
    Client, Credits, Error, Format, NewWebcamBooking, SoftwareType, WebcamBookingOutcome,
};
use chrono::{Duration, Utc};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let session = Utc::now().naive_utc() + Duration::days(2);

    // The docs' sample: three invitees, one of them not on Skype.
    let booking = NewWebcamBooking::new(
        [123456, 123457, 123458],
        session,
        10,
        Credits::from(10),
        SoftwareType::Skype,
        "BookingUserOnSkype",
    )
    .also_phone_chat(true)
    .phone_number("0123456789");
    let results = client.create_webcam_booking(booking).await?;
    for r in &results {
        println!(
            "user {}: {} ({:?})",
            r.user_id, r.status_description, r.booking_id
        );
    }

    let Some(first) = results
        .iter()
        .find(|r| r.status != WebcamBookingOutcome::SoftwareNotUsed)
        .and_then(|r| r.booking_id)
    else {
        println!("nobody could be booked");
        return Ok(());
    };

    let json = client.webcam_booking(first).await?;
    let xml = Client::builder()
        .base_url(client.base_url())
        .token(std::env::var(adultwork::TOKEN_ENV).unwrap_or_default())
        .format(Format::Xml)
        .build()?
        .webcam_booking(first)
        .await?;
    assert_eq!(json, xml, "both formats decode into the same value");
    println!(
        "booking {first}: {} with {}, session {}",
        json.status, json.performer.nickname, json.session_date
    );

    let cancelled = client
        .cancel_webcam_booking(first, "I can't make it.")
        .await?;
    println!("booking {first}: {}", cancelled.status);
    Ok(())
}
