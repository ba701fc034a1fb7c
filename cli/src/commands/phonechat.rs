//! `adultwork phonechat ...`: phone-chat bookings.

use adultwork::validate::{self, PHONE_CHAT_MIN_DURATION};
use adultwork::{Client, Credits, Error, MinuteDateTime, NewPhoneChatBooking, PhoneChatMethod};
use clap::{Args, Subcommand};

use crate::args::{self, WireEnumParser};
use crate::commands::Response;

/// The phone-chat commands.
#[derive(Debug, Clone, Subcommand)]
pub(crate) enum PhoneChatCommand {
    /// Ask a user for a phone chat (POST /v1/PhoneChat/CreateBooking)
    #[command(
        long_about = format!("\
Ask a user for a phone chat (POST /v1/PhoneChat/CreateBooking).

The user must offer phone chat with the chosen method, and you must have the credits. If the
user does not accept by --accept-by, the booking is rejected automatically. The answer is the
new booking (Status Pending) with the candidate's nickname and ratings.

Checked before sending: --duration at least {PHONE_CHAT_MIN_DURATION}; --session-date and --accept-by
in the future, --accept-by first; credits above 0; --phone-number ({}) for call-me;
--skype-name for skype. The API also requires credits of at least the user's price per
minute x duration.", digits()),
        after_help = "\
Examples:
  adultwork phonechat create --user 123456 --session-date \"2026-12-01 21:30\" \\
      --accept-by \"2026-12-01 18:00\" --duration 15 --method call-me \\
      --phone-number 0123456789 --credits 32 --comments \"Hi!\"
  adultwork phonechat create --user 123456 --session-date \"2026-12-01 21:30\" \\
      --accept-by \"2026-12-01 18:00\" --duration 15 --method skype --skype-name me.on.skype --credits 32"
    )]
    Create(CreateArgs),
}

impl PhoneChatCommand {
    /// The operation this command calls.
    pub(crate) fn operation(&self) -> adultwork::Operation {
        match self {
            Self::Create(_) => adultwork::Operation::CreatePhoneChatBooking,
        }
    }
}

/// `phonechat create`.
#[derive(Debug, Clone, Args)]
pub(crate) struct CreateArgs {
    /// The ID of the user to book
    #[arg(long, value_name = "ID")]
    pub(crate) user: i64,

    /// When the call starts, "YYYY-MM-DD HH:MM" (in the future)
    #[arg(long, value_name = "WHEN", value_parser = args::minute_date)]
    pub(crate) session_date: MinuteDateTime,

    /// The deadline for the user to accept, "YYYY-MM-DD HH:MM" (in the future, before --session-date)
    #[arg(long, value_name = "WHEN", value_parser = args::minute_date)]
    pub(crate) accept_by: MinuteDateTime,

    /// The length of the call in minutes
    #[arg(
        long,
        value_name = "MINUTES",
        help = format!("The length of the call in minutes (at least {PHONE_CHAT_MIN_DURATION})")
    )]
    pub(crate) duration: i32,

    /// How the call is placed, by name or number
    #[arg(long, value_name = "METHOD", value_parser = WireEnumParser::<PhoneChatMethod>::new())]
    pub(crate) method: PhoneChatMethod,

    /// The number the user calls you on (required with --method call-me)
    #[arg(
        long,
        value_name = "NUMBER",
        help = format!("The number the user calls you on, {} (required with --method call-me)", digits())
    )]
    pub(crate) phone_number: Option<String>,

    /// Your Skype name (required with --method skype)
    #[arg(long, value_name = "NAME")]
    pub(crate) skype_name: Option<String>,

    /// The credits you offer, a decimal such as 32 or 32.50
    #[arg(long, value_name = "AMOUNT", value_parser = args::credits)]
    pub(crate) credits: Credits,

    /// A note for the user
    #[arg(long, value_name = "TEXT")]
    pub(crate) comments: Option<String>,
}

impl CreateArgs {
    /// The SDK's request for these arguments.
    fn booking(&self) -> NewPhoneChatBooking {
        let mut booking = NewPhoneChatBooking::new(
            self.user,
            self.session_date,
            self.accept_by,
            self.duration,
            self.method,
            self.credits,
        );
        if let Some(number) = &self.phone_number {
            booking = booking.phone_number(number.clone());
        }
        if let Some(name) = &self.skype_name {
            booking = booking.skype_name(name.clone());
        }
        if let Some(text) = &self.comments {
            booking = booking.comments(text.clone());
        }
        booking
    }
}

/// The digit counts a call-me number may have, e.g. "10 or 11 digits".
fn digits() -> String {
    format!("{} digits", validate::phone_chat_digits())
}

/// Runs one phone-chat command.
pub(crate) async fn run(client: &Client, cmd: &PhoneChatCommand) -> Result<Response, Error> {
    match cmd {
        PhoneChatCommand::Create(args) => Ok(Response::PhoneChat(Box::new(
            client.create_phone_chat_booking(args.booking()).await?,
        ))),
    }
}
