//! Every operation of the SDK, with valid input and a valid answer, for tests that run the
//! same fault against each.

use adultwork::{
    Client, Credits, Error, Format, NewPhoneChatBooking, NewWebcamBooking, PhoneChatMethod,
    SoftwareType,
};

use super::{Reply, Server, at, docs, golden};

/// Every operation of the SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Details,
    GroupDetails,
    CreateWebcam,
    Cancel,
    Reschedule,
    CreatePhoneChat,
}

/// Every operation, GETs first.
pub const ALL: [Op; 6] = [
    Op::Details,
    Op::GroupDetails,
    Op::CreateWebcam,
    Op::Cancel,
    Op::Reschedule,
    Op::CreatePhoneChat,
];
/// The GETs.
pub const GETS: [Op; 2] = [Op::Details, Op::GroupDetails];
/// The POSTs: each may take effect, so each must reach the server at most once.
pub const POSTS: [Op; 4] = [
    Op::CreateWebcam,
    Op::Cancel,
    Op::Reschedule,
    Op::CreatePhoneChat,
];

impl Op {
    pub fn is_post(self) -> bool {
        !matches!(self, Op::Details | Op::GroupDetails)
    }

    /// A valid success body of this operation in `format`.
    pub fn good(self, format: Format) -> Vec<u8> {
        match (self, format) {
            (Op::CreateWebcam, Format::Json) => docs("create_webcam_booking.response.json"),
            (Op::CreateWebcam, Format::Xml) => golden("create_results.compact.xml"),
            (Op::CreatePhoneChat, Format::Json) => docs("create_phone_chat_booking.response.json"),
            (Op::CreatePhoneChat, Format::Xml) => golden("phonechat_booking.compact.xml"),
            (_, Format::Json) => docs("made_webcam_booking_details.response.json"),
            (_, Format::Xml) => golden("webcam_booking_made.compact.xml"),
        }
    }

    /// The operation's success body, chosen by request path (for servers that serve every
    /// operation).
    pub fn good_for_path(path: &str) -> Vec<u8> {
        let op = match path {
            p if p.starts_with("/v1/Webcam/CreateBooking") => Op::CreateWebcam,
            p if p.starts_with("/v1/PhoneChat/CreateBooking") => Op::CreatePhoneChat,
            _ => Op::Details,
        };
        op.good(Format::Json)
    }

    /// Calls the operation with valid input, keeping only the outcome.
    pub async fn call(self, client: &Client) -> Result<(), Error> {
        match self {
            Op::Details => client.webcam_booking(1).await.map(drop),
            Op::GroupDetails => client
                .as_group_member(123456)
                .webcam_booking(1)
                .await
                .map(drop),
            Op::CreateWebcam => client.create_webcam_booking(webcam()).await.map(drop),
            Op::Cancel => client
                .cancel_webcam_booking(1, "I can't make it.")
                .await
                .map(drop),
            Op::Reschedule => client.reschedule_webcam_booking(1).await.map(drop),
            Op::CreatePhoneChat => client
                .create_phone_chat_booking(phone_chat())
                .await
                .map(drop),
        }
    }
}

/// A valid webcam booking (two users, February 2018: use `common::docs_now`).
pub fn webcam() -> NewWebcamBooking {
    NewWebcamBooking::new(
        [123456, 123457],
        at("2018-02-01 12:00"),
        10,
        Credits::from(10),
        SoftwareType::Skype,
        "me",
    )
}

/// The docs' create-webcam request without its phone-chat part: three users, the sign-in
/// `BookingUserOnSkype` (February 2018: use `common::docs_now`).
pub fn docs_webcam() -> NewWebcamBooking {
    NewWebcamBooking::new(
        [123456, 123457, 123458],
        at("2018-02-01 12:00"),
        10,
        Credits::from(10),
        SoftwareType::Skype,
        "BookingUserOnSkype",
    )
}

/// A valid call-me phone-chat booking (February 2018): the docs' request with a valid phone
/// number in place of their placeholder, and no comments.
pub fn phone_chat() -> NewPhoneChatBooking {
    NewPhoneChatBooking::new(
        123456,
        at("2018-02-21 21:30"),
        at("2018-02-21 18:00"),
        15,
        PhoneChatMethod::CallMe,
        Credits::from(32),
    )
    .phone_number("44123456789")
}

/// A server that answers every request with the valid JSON success body of the operation its
/// path names ([`Op::good_for_path`]).
pub async fn good_server() -> Server {
    Server::start(|req, _| Reply::json(200, Op::good_for_path(&req.path))).await
}

/// Awaits the futures concurrently (on this task) and returns their outputs in order.
pub async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in futures.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}
