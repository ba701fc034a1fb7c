//! The client: configuration, and one method per operation.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::generated::Client as Generated;
use crate::requests::IntoWire;
use crate::transport::{Call, Config};
use crate::types::{
    self, CancelWebcamBookingRequest, CreatePhoneChatBookingRequest, CreateWebcamBookingRequest,
    PhoneChatBooking, RescheduleWebcamBookingRequest, WebcamBooking, WebcamBookingResult,
};
use crate::untrusted::Secrets;
use crate::{Error, Format, GroupMember, RetryPolicy, Token, WebcamWait, validate};

/// AdultWork's public sandbox API.
pub const SANDBOX_URL: &str = "https://api-sandbox.adultwork.com";
/// The production API.
pub const PRODUCTION_URL: &str = "https://api.adultwork.com";
/// Environment variable read by [`Client::from_env`] for the base URL.
pub const BASE_URL_ENV: &str = "ADULTWORK_BASE_URL";
/// Environment variable read by [`Client::from_env`] for the access token.
pub const TOKEN_ENV: &str = "ADULTWORK_TOKEN";
/// Default cap on a response body.
pub const DEFAULT_MAX_BODY: usize = 4 * 1024 * 1024;

/// The "now" that client-side time rules are checked against, in the API's local time.
pub type Clock = Arc<dyn Fn() -> NaiveDateTime + Send + Sync>;

/// A client for the AdultWork booking endpoints. Cheap to clone; clones share connections.
///
/// ```no_run
/// # async fn run() -> Result<(), adultwork::Error> {
/// use adultwork::{Client, Format};
///
/// let client = Client::builder()
///     .base_url(adultwork::SANDBOX_URL)
///     .token("my-access-token")
///     .format(Format::Json)
///     .build()?;
/// let booking = client.webcam_booking(1).await?;
/// println!("{} with {}", booking.status, booking.performer.nickname);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

struct Shared {
    /// The generated client, built once: the base URL, the HTTP client and the transport's
    /// settings every call uses.
    generated: Generated,
    clock: Clock,
}

impl Shared {
    fn config(&self) -> &Config {
        &self.generated.inner.config
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("config", self.shared.config())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `ADULTWORK_BASE_URL` (default: [`SANDBOX_URL`]) and
    /// `ADULTWORK_TOKEN` (required).
    pub fn from_env() -> Result<Self, Error> {
        let token = std::env::var(TOKEN_ENV)
            .map_err(|_| Error::Config(format!("set {TOKEN_ENV} to your access token")))?;
        let mut builder = Self::builder().token(token);
        if let Ok(url) = std::env::var(BASE_URL_ENV) {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.shared.generated.baseurl
    }

    /// The response format this client asks for.
    pub fn format(&self) -> Format {
        self.shared.config().format
    }

    /// The current time by this client's clock (used for client-side date rules).
    pub fn now(&self) -> NaiveDateTime {
        (self.shared.clock)()
    }

    /// The generated client every call goes through.
    fn generated(&self) -> &Generated {
        &self.shared.generated
    }

    /// `POST /v1/Webcam/CreateBooking`: invites up to four users to a webcam session and
    /// returns one result per user.
    ///
    /// Checked before sending: 1 to [`MAX_INVITED_USERS`](crate::MAX_INVITED_USERS) positive
    /// user IDs, `SessionDate` in the future and at most
    /// [`WEBCAM_MAX_MONTHS_AHEAD`](validate::WEBCAM_MAX_MONTHS_AHEAD) months ahead, positive credits, a known software type with an email sign-in for
    /// MSN Messenger, a phone number with `AlsoPhoneChat`. Never retried automatically.
    pub async fn create_webcam_booking(
        &self,
        booking: impl IntoWire<CreateWebcamBookingRequest>,
    ) -> Result<Vec<WebcamBookingResult>, Error> {
        let body = booking.into_wire()?;
        validate::webcam_booking(&body, self.now())?;
        let results = self
            .generated()
            .create_webcam_booking()
            .body(body)
            .send()
            .await?;
        Ok(results.0)
    }

    /// `GET /v1/Webcam/MadeBookingDetails`: a webcam booking this user made.
    pub async fn webcam_booking(&self, booking_id: i64) -> Result<WebcamBooking, Error> {
        let booking_id = validate::id("BookingID", booking_id)?;
        self.generated()
            .get_made_webcam_booking_details()
            .booking_id(booking_id)
            .send()
            .await
    }

    /// `POST /v1/Webcam/CancelMadeBooking`: cancels a booking with a reason (not blank) and
    /// returns it. The server refuses bookings already cancelled or rejected, and confirmed
    /// ones whose session has passed.
    pub async fn cancel_webcam_booking(
        &self,
        booking_id: i64,
        reason: impl Into<String>,
    ) -> Result<WebcamBooking, Error> {
        let reason = reason.into();
        validate::reason(&reason)?;
        let body = CancelWebcamBookingRequest {
            booking_id: validate::id("BookingID", booking_id)?,
            reason: reason
                .parse()
                .map_err(|e| Error::validation("Reason", format!("is malformed: {e}")))?,
        };
        self.generated()
            .cancel_made_webcam_booking()
            .body(body)
            .send()
            .await
    }

    /// `POST /v1/Webcam/RescheduleMadeBooking`: books again with the settings of an earlier
    /// booking, five minutes from now, and returns the new booking.
    pub async fn reschedule_webcam_booking(&self, booking_id: i64) -> Result<WebcamBooking, Error> {
        let body = RescheduleWebcamBookingRequest {
            booking_id: validate::id("BookingID", booking_id)?,
        };
        self.generated()
            .reschedule_made_webcam_booking()
            .body(body)
            .send()
            .await
    }

    /// `POST /v1/PhoneChat/CreateBooking`: books a phone chat.
    ///
    /// Checked before sending: `Duration` ≥
    /// [`PHONE_CHAT_MIN_DURATION`](validate::PHONE_CHAT_MIN_DURATION); a known method, with a
    /// [`PHONE_CHAT_NUMBER_DIGITS`](validate::PHONE_CHAT_NUMBER_DIGITS)-digit `PhoneNumber` for call-me and a `SkypeName` for Skype; `SessionDate` and `AcceptBy` in
    /// the future with `AcceptBy` first; positive credits. The candidate's price per minute
    /// and the client's balance are checked by the server.
    pub async fn create_phone_chat_booking(
        &self,
        booking: impl IntoWire<CreatePhoneChatBookingRequest>,
    ) -> Result<PhoneChatBooking, Error> {
        let body = booking.into_wire()?;
        validate::phone_chat_booking(&body, self.now())?;
        self.generated()
            .create_phone_chat_booking()
            .body(body)
            .send()
            .await
    }

    /// A waiter that polls webcam booking `booking_id` until it reaches a [`WaitTarget`](crate::WaitTarget)
    /// (default: accepted); see [`WebcamWait`].
    ///
    /// ```no_run
    /// # async fn run(client: adultwork::Client) -> Result<(), adultwork::WaitError> {
    /// use std::time::Duration;
    ///
    /// let booking = client.wait_for_webcam_booking(1).wait(Duration::from_secs(300)).await?;
    /// assert!(booking.accepted_date.is_some());
    /// # Ok(()) }
    /// ```
    pub fn wait_for_webcam_booking(&self, booking_id: i64) -> WebcamWait<'_> {
        WebcamWait::new(self, None, vec![booking_id])
    }

    /// A waiter for the first invitee of one [`create_webcam_booking`](Self::create_webcam_booking)
    /// to accept: it polls every booking the create made and returns the first one accepted
    /// (the API cancels the others). It is unreachable only once every booking is.
    ///
    /// ```no_run
    /// # async fn run(client: adultwork::Client, booking: adultwork::NewWebcamBooking) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    ///
    /// let results = client.create_webcam_booking(booking).await?;
    /// let winner = client
    ///     .wait_for_first_acceptance(&results)
    ///     .wait(Duration::from_secs(600))
    ///     .await?;
    /// println!("{} accepted", winner.performer.nickname);
    /// # Ok(()) }
    /// ```
    pub fn wait_for_first_acceptance(&self, results: &[WebcamBookingResult]) -> WebcamWait<'_> {
        let ids = results.iter().filter_map(|r| r.booking_id).collect();
        WebcamWait::new(self, None, ids)
    }

    /// Acts as member `user_id` of the group this user manages (the `/v1/Groups/...`
    /// endpoints, which take `UserID`). Only operations with a group endpoint are offered.
    pub fn as_group_member(&self, user_id: i64) -> GroupMember<'_> {
        GroupMember::new(self, user_id)
    }

    pub(crate) async fn group_webcam_booking(
        &self,
        user_id: i64,
        booking_id: i64,
    ) -> Result<types::WebcamBooking, Error> {
        let user_id = validate::id("UserID", user_id)?;
        let booking_id = validate::id("BookingID", booking_id)?;
        self.generated()
            .get_group_made_webcam_booking_details()
            .user_id(user_id)
            .booking_id(booking_id)
            .send()
            .await
    }
}

/// Configures a [`Client`]. Every setting has a sensible default except the token.
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<Token>,
    format: Format,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    retry: Option<RetryPolicy>,
    max_body: Option<usize>,
    clock: Option<Clock>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API's base URL (default [`SANDBOX_URL`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The access token, sent as `Authorization: bearer {token}`.
    pub fn token(mut self, token: impl Into<Token>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// JSON (default) or DataContract XML responses.
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// Total time allowed for each attempt, body included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to connect (default 10 s). Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` (default `adultwork-rs/{version}`). Ignored with
    /// [`http_client`](Self::http_client).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// A header sent with every request, such as the developer API key the docs describe in
    /// their overview. Its value is treated as secret. Ignored with
    /// [`http_client`](Self::http_client).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Uses a ready-made `reqwest::Client` (its own timeouts, proxies, TLS and headers apply).
    ///
    /// Build it from [`http_client_builder`](crate::http_client_builder): a client that follows
    /// redirects or retries by itself (reqwest's defaults) can send a POST more than once
    /// before the SDK sees the answer. The SDK refuses an answer such a client got by
    /// following a redirect, and reports a POST's outcome as unknown then.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// When GET requests are retried (default: [`RetryPolicy::default`]). POSTs never are.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The largest response body accepted (default [`DEFAULT_MAX_BODY`]).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body = Some(bytes);
        self
    }

    /// The clock client-side date rules use (default: the system clock, read as UTC).
    pub fn clock(mut self, clock: impl Fn() -> NaiveDateTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Builds the client, checking the base URL, token and headers.
    pub fn build(self) -> Result<Client, Error> {
        let raw = self.base_url.as_deref().unwrap_or(SANDBOX_URL);
        let url = reqwest::Url::parse(raw)
            .map_err(|e| Error::Config(format!("base URL {raw:?}: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
            return Err(Error::Config(format!(
                "base URL {raw:?} must be an http(s) URL"
            )));
        }
        if self.token.as_ref().is_some_and(|t| !t.is_valid()) {
            return Err(Error::Config(
                "the access token must be non-empty visible ASCII".into(),
            ));
        }
        let mut secrets = Secrets::default();
        if let Some(token) = &self.token {
            secrets.add(token.expose().as_bytes());
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut headers = HeaderMap::new();
                for (name, value) in &self.headers {
                    let name = HeaderName::try_from(name.as_str())
                        .map_err(|_| Error::Config(format!("invalid header name {name:?}")))?;
                    let mut value = HeaderValue::try_from(value.as_str())
                        .map_err(|_| Error::Config(format!("invalid value for header {name}")))?;
                    value.set_sensitive(true);
                    secrets.add(value.as_bytes());
                    headers.insert(name, value);
                }
                crate::http_client_builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                    .user_agent(
                        self.user_agent.unwrap_or_else(|| {
                            format!("adultwork-rs/{}", env!("CARGO_PKG_VERSION"))
                        }),
                    )
                    .default_headers(headers)
                    .build()
                    .map_err(|e| Error::Config(format!("HTTP client: {e}")))?
            }
        };
        let config = Config {
            authorization: self.token.as_ref().map(Token::header_value),
            secrets,
            base: url.clone(),
            format: self.format,
            retry: self.retry.unwrap_or_default(),
            max_body: self.max_body.unwrap_or(DEFAULT_MAX_BODY),
            timeout: Some(self.timeout.unwrap_or(Duration::from_secs(30))),
        };
        Ok(Client {
            shared: Arc::new(Shared {
                generated: Generated::new_with_client(
                    url.as_str().trim_end_matches('/'),
                    http,
                    Call {
                        config: Arc::new(config),
                    },
                ),
                clock: self
                    .clock
                    .unwrap_or_else(|| Arc::new(|| chrono::Utc::now().naive_utc())),
            }),
        })
    }
}
