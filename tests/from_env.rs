//! `Client::from_env` reads `ADULTWORK_BASE_URL` and `ADULTWORK_TOKEN`. Its own test binary:
//! changing the environment while other threads read it is not safe.

mod common;

use adultwork::{BASE_URL_ENV, Client, Error, SANDBOX_URL, TOKEN_ENV};
use common::{Reply, Server, TOKEN, docs, guard};

#[tokio::test]
async fn from_env_reads_base_url_and_token() {
    assert_eq!(
        (BASE_URL_ENV, TOKEN_ENV),
        ("ADULTWORK_BASE_URL", "ADULTWORK_TOKEN")
    );
    let server = Server::always(Reply::json(
        200,
        docs("made_webcam_booking_details.response.json"),
    ))
    .await;
    // SAFETY: the only test in this binary; nothing else reads the environment meanwhile.
    unsafe {
        std::env::remove_var(TOKEN_ENV);
        std::env::remove_var(BASE_URL_ENV);
    }
    let err = Client::from_env().unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains(TOKEN_ENV)),
        "names the variable to set: {err}"
    );

    unsafe { std::env::set_var(TOKEN_ENV, TOKEN) };
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        SANDBOX_URL,
        "the public sandbox by default"
    );

    unsafe { std::env::set_var(BASE_URL_ENV, &server.base_url) };
    let client = Client::from_env().unwrap();
    guard(client.webcam_booking(1)).await.unwrap();
    assert_eq!(
        server.single().header("authorization"),
        format!("bearer {TOKEN}")
    );
}
