//! `Accept` picks JSON or DataContract XML, for answers and errors alike.

use adultwork::Format;
use adultwork_sandbox::CLIENT_TOKEN;

use crate::common::*;

async fn details(
    sandbox: &adultwork_sandbox::Sandbox,
    accept: Option<&str>,
    id: i64,
) -> (u16, String, String) {
    let mut req = http()
        .get(format!(
            "{}/v1/Webcam/MadeBookingDetails?BookingID={id}",
            sandbox.base_url()
        ))
        .header("Authorization", format!("bearer {CLIENT_TOKEN}"));
    if let Some(a) = accept {
        req = req.header("Accept", a);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    (status, ct, res.text().await.unwrap())
}

#[tokio::test]
async fn accept_header_picks_the_format() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    for (accept, content_type, xml) in [
        (None, "application/json; charset=utf-8", false),
        (
            Some("application/json"),
            "application/json; charset=utf-8",
            false,
        ),
        (Some("*/*"), "application/json; charset=utf-8", false),
        (Some("text/html"), "application/json; charset=utf-8", false),
        (
            Some("application/xml"),
            "application/xml; charset=utf-8",
            true,
        ),
        (Some("text/xml"), "text/xml; charset=utf-8", true),
        (
            Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            "application/xml; charset=utf-8",
            true,
        ),
        (
            Some("application/xml;q=0.5, application/json"),
            "application/json; charset=utf-8",
            false,
        ),
    ] {
        for id in [1, 99] {
            let (status, ct, body) = details(&sandbox, accept, id).await;
            assert_eq!(ct, content_type, "{accept:?}");
            match (xml, status) {
                (true, 200) => assert!(body.starts_with("<WebcamBooking xmlns:i="), "{body}"),
                (true, _) => assert_eq!(
                    body,
                    "<Error><Message>Webcam booking 99 was not found.</Message></Error>"
                ),
                (false, 200) => assert!(
                    body.starts_with(r#"{"AcceptBy":"2018-02-01T00:00:00""#),
                    "{body}"
                ),
                (false, _) => assert_eq!(body, r#"{"Message":"Webcam booking 99 was not found."}"#),
            }
        }
    }
}

#[tokio::test]
async fn every_answer_decodes_with_the_sdk_in_both_formats() {
    let sandbox = sandbox().await;
    for format in FORMATS {
        let c = client(&sandbox, format);
        sandbox.state().reset();
        let results = c
            .create_webcam_booking(
                serde_json::from_value::<adultwork::types::CreateWebcamBookingRequest>(
                    webcam_sample(),
                )
                .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(results.len(), 3);
        control(&sandbox, "/_sandbox/webcam/1/accept", None).await;
        let b = c.webcam_booking(1).await.unwrap();
        assert_eq!(
            b.performer.sign_in_name_or_email.as_deref(),
            Some("josephene.blogs")
        );
        let err = c
            .as_group_member(100001)
            .webcam_booking(1)
            .await
            .unwrap_err();
        assert_eq!(
            err.status().map(|s| s.as_u16()),
            Some(403),
            "the client is no manager"
        );
        let cancelled = c.cancel_webcam_booking(1, "Sorry").await.unwrap();
        let new = c.reschedule_webcam_booking(1).await.unwrap();
        assert_eq!((cancelled.webcam_booking_id, new.webcam_booking_id), (1, 3));
        let p = c
            .create_phone_chat_booking(
                serde_json::from_value::<adultwork::types::CreatePhoneChatBookingRequest>(
                    phone_chat_sample(),
                )
                .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(p.booking_id, 1);
        // API errors carry the server's message in either format.
        let err = c.webcam_booking(42).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
        assert!(
            err.to_string().contains("Webcam booking 42 was not found."),
            "{err}"
        );
    }
    assert_eq!(Format::Xml.media_type(), "application/xml");
}
