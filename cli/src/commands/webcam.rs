//! `adultwork webcam ...`: webcam bookings the authenticated user made.

use adultwork::validate::WEBCAM_MAX_MONTHS_AHEAD;
use adultwork::{
    BookingStatus, Client, Credits, Error, MAX_INVITED_USERS, MinuteDateTime, NewWebcamBooking,
    Operation, SoftwareType,
};
use clap::{Args, Subcommand};

use crate::args::{self, WireEnumParser};
use crate::commands::Response;

/// The webcam commands. (`wait` is run by [`crate::commands::wait`], which has exit codes of its
/// own.)
#[derive(Debug, Clone, Subcommand)]
pub(crate) enum WebcamCommand {
    /// Invite performers to a webcam session (POST /v1/Webcam/CreateBooking)
    #[command(
        about = format!(
            "Invite 1 to {MAX_INVITED_USERS} performers to a webcam session (POST /v1/Webcam/CreateBooking)"
        ),
        long_about = format!("\
Invite 1 to {MAX_INVITED_USERS} performers to a webcam session (POST /v1/Webcam/CreateBooking).

The first invited performer to accept gets the booking; the other invitations are then
cancelled. The answer has one result per invited user, with a Status:
  0  Success: a booking was made (BookingID)
  1  the webcam booking was made, but the user does not allow phone chat
  2  no booking: the user does not use the chosen software (BookingID is null)

Checked before sending: 1 to {MAX_INVITED_USERS} users; --session-date in the future and at most
{WEBCAM_MAX_MONTHS_AHEAD} months ahead; credits above 0; an email address as --sign-in for MSN;
--phone-number with --also-phone-chat."),
        after_help = "\
Example:
  adultwork webcam create --users 123456,123457,123458 --session-date \"2026-12-01 12:00\" \\
      --duration 10 --credits 10 --software skype --sign-in ClientUserOnSkype \\
      --also-phone-chat --phone-number 0123456789"
    )]
    Create(CreateArgs),

    /// Show a webcam booking you made (GET /v1/Webcam/MadeBookingDetails)
    #[command(
        long_about = format!("\
Show a webcam booking you made (GET /v1/Webcam/MadeBookingDetails).

Status is one of {}.

With the global --as-user ID, a group manager reads the booking as member ID of their group
(GET /v1/Groups/Webcam/MadeBookingDetails?UserID=ID&BookingID=...).", statuses()),
        after_help = "\
Examples:
  adultwork webcam details --booking-id 1
  adultwork --format xml webcam details --booking-id 1
  adultwork --token sandbox-manager-token --as-user 100001 webcam details --booking-id 1"
    )]
    Details(DetailsArgs),

    /// Cancel a webcam booking you made, with a reason (POST /v1/Webcam/CancelMadeBooking)
    #[command(
        long_about = "\
Cancel a webcam booking you made, with a reason (POST /v1/Webcam/CancelMadeBooking).

The API refuses bookings that are already cancelled or rejected, and confirmed bookings whose
session has started. The answer is the cancelled booking.",
        after_help = "\
Example:
  adultwork webcam cancel --booking-id 1 --reason \"I can't make it.\""
    )]
    Cancel(CancelArgs),

    /// Book again with an earlier booking's settings (POST /v1/Webcam/RescheduleMadeBooking)
    #[command(
        long_about = "\
Book again with an earlier booking's settings, five minutes from now
(POST /v1/Webcam/RescheduleMadeBooking). The answer is the new booking.",
        after_help = "\
Example:
  adultwork webcam reschedule --booking-id 1"
    )]
    Reschedule(RescheduleArgs),

    /// Wait until a webcam booking is accepted, confirmed or settled (polls GET /v1/Webcam/MadeBookingDetails)
    #[command(long_about = crate::commands::wait::LONG_ABOUT, after_help = crate::commands::wait::AFTER_HELP)]
    Wait(crate::commands::wait::WaitArgs),
}

impl WebcamCommand {
    /// The operation this command calls; with `as_user`, the group-manager variant where
    /// there is one.
    pub(crate) fn operation(&self, as_user: Option<i64>) -> Operation {
        match (self, as_user) {
            (Self::Create(_), _) => Operation::CreateWebcamBooking,
            (Self::Details(_) | Self::Wait(_), None) => Operation::GetMadeWebcamBookingDetails,
            (Self::Details(_) | Self::Wait(_), Some(_)) => {
                Operation::GetGroupMadeWebcamBookingDetails
            }
            (Self::Cancel(_), _) => Operation::CancelMadeWebcamBooking,
            (Self::Reschedule(_), _) => Operation::RescheduleMadeWebcamBooking,
        }
    }
}

/// `webcam create`.
#[derive(Debug, Clone, Args)]
pub(crate) struct CreateArgs {
    /// The user IDs to invite, comma-separated
    #[arg(
        long,
        value_name = "IDS",
        value_delimiter = ',',
        required = true,
        help = format!("The user IDs to invite, comma-separated (1 to {MAX_INVITED_USERS})")
    )]
    pub(crate) users: Vec<i64>,

    /// When the session starts, "YYYY-MM-DD HH:MM"
    #[arg(
        long,
        value_name = "WHEN",
        value_parser = args::minute_date,
        help = format!(
            "When the session starts, \"YYYY-MM-DD HH:MM\" (in the future, at most {WEBCAM_MAX_MONTHS_AHEAD} months ahead)"
        )
    )]
    pub(crate) session_date: MinuteDateTime,

    /// The length of the session in minutes
    #[arg(long, value_name = "MINUTES")]
    pub(crate) duration: u32,

    /// The credits you offer, a decimal such as 10 or 12.50
    #[arg(long, value_name = "AMOUNT", value_parser = args::credits)]
    pub(crate) credits: Credits,

    /// The messenger software, by name or number
    #[arg(long, value_name = "SOFTWARE", value_parser = WireEnumParser::<SoftwareType>::new())]
    pub(crate) software: SoftwareType,

    /// The name (or, for MSN, the email address) you sign in with; the performer recognises you by it
    #[arg(long, value_name = "NAME")]
    pub(crate) sign_in: String,

    /// Also book a phone chat (needs --phone-number)
    #[arg(long)]
    pub(crate) also_phone_chat: bool,

    /// Your phone number
    #[arg(long, value_name = "NUMBER")]
    pub(crate) phone_number: Option<String>,

    /// Text you when the performer accepts (your mobile number must be verified)
    #[arg(long)]
    pub(crate) sms_on_accept: bool,
}

/// `webcam details`.
#[derive(Debug, Clone, Args)]
pub(crate) struct DetailsArgs {
    /// The webcam booking's ID
    #[arg(long, value_name = "ID")]
    pub(crate) booking_id: i64,
}

/// `webcam cancel`.
#[derive(Debug, Clone, Args)]
pub(crate) struct CancelArgs {
    /// The webcam booking's ID
    #[arg(long, value_name = "ID")]
    pub(crate) booking_id: i64,

    /// Why you cancel (required, not blank)
    #[arg(long, value_name = "TEXT")]
    pub(crate) reason: String,
}

/// `webcam reschedule`.
#[derive(Debug, Clone, Args)]
pub(crate) struct RescheduleArgs {
    /// The ID of the booking whose settings to book again
    #[arg(long, value_name = "ID")]
    pub(crate) booking_id: i64,
}

impl CreateArgs {
    /// The SDK's request for these arguments.
    fn booking(&self) -> NewWebcamBooking {
        let mut booking = NewWebcamBooking::new(
            self.users.iter().copied(),
            self.session_date,
            self.duration,
            self.credits,
            self.software,
            self.sign_in.clone(),
        )
        .also_phone_chat(self.also_phone_chat)
        .send_sms_on_accept(self.sms_on_accept);
        if let Some(number) = &self.phone_number {
            booking = booking.phone_number(number.clone());
        }
        booking
    }
}

/// Every documented booking status, as `--help` lists them: "Pending, Accepted, ...".
fn statuses() -> String {
    let names: Vec<&str> = BookingStatus::ALL
        .iter()
        .map(BookingStatus::as_str)
        .collect();
    names.join(", ")
}

/// Runs one webcam command. `as_user` selects the group-manager endpoint for `details`.
pub(crate) async fn run(
    client: &Client,
    as_user: Option<i64>,
    cmd: &WebcamCommand,
) -> Result<Response, Error> {
    Ok(match cmd {
        WebcamCommand::Create(args) => {
            Response::WebcamResults(client.create_webcam_booking(args.booking()).await?)
        }
        WebcamCommand::Details(args) => {
            let booking = match as_user {
                Some(user) => {
                    client
                        .as_group_member(user)
                        .webcam_booking(args.booking_id)
                        .await?
                }
                None => client.webcam_booking(args.booking_id).await?,
            };
            Response::Webcam(Box::new(booking))
        }
        WebcamCommand::Cancel(args) => Response::Webcam(Box::new(
            client
                .cancel_webcam_booking(args.booking_id, args.reason.clone())
                .await?,
        )),
        WebcamCommand::Reschedule(args) => Response::Webcam(Box::new(
            client.reschedule_webcam_booking(args.booking_id).await?,
        )),
        WebcamCommand::Wait(_) => {
            return Err(Error::Config(
                "`webcam wait` has its own exit codes and runs through commands::wait".into(),
            ));
        }
    })
}
