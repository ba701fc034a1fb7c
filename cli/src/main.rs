//! `adultwork`: every AdultWork booking operation from a shell, a local sandbox server, and a
//! guided demo.
//!
//! This file parses the command line, builds the SDK client, dispatches to one module per
//! command group and turns the outcome into an exit code:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success; the response is on stdout as pretty JSON with the API's field names |
//! | 1 | the API answered with an error (status and message on stderr) |
//! | 2 | invalid input, found before anything was sent (usage errors, SDK validation) |
//! | 3 | transport failure with nothing sent, or an undecodable answer to a GET |
//! | 4 | the outcome of a POST is unknown: it was sent and no definitive answer came back |
//! | 5 | `webcam wait`: the booking reached a state from which the target cannot come |
//! | 124 | `webcam wait`: gave up at `--timeout` |
//!
//! Everything written to stdout goes through [`mod@print`]; `clippy::print_stdout` is denied
//! everywhere else.
#![forbid(unsafe_code)]
#![deny(clippy::print_stdout)]
#![warn(missing_docs)]

mod args;
mod cmd_phonechat;
mod cmd_sandbox;
mod cmd_wait;
mod cmd_webcam;
mod demo;
mod print;

use std::fmt;
use std::process::ExitCode;

use adultwork::types::{PhoneChatBooking, WebcamBooking, WebcamBookingResult};
use adultwork::{Client, Error, Format};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Book webcam and phone-chat sessions through the AdultWork REST API";

const LONG_ABOUT: &str = "\
Book webcam and phone-chat sessions through the AdultWork REST API.

A webcam booking invites one to four performers to a session on Skype, Yahoo or MSN
Messenger; the first to accept gets it and the other invitations are cancelled. You can then
read the booking's details, cancel it with a reason, or reschedule it (a new booking with the
same settings, five minutes from now). A phone-chat booking asks one user for a call: they
call you, you call them, or Skype.

Every command prints the API's answer on stdout as pretty JSON with the API's own field names
(BookingID, SessionDate, ...), whichever wire format was used. Errors go to stderr as one line.

Requests are authenticated with an access token (--token or ADULTWORK_TOKEN) and go to
--base-url (default: AdultWork's public sandbox). For a local sandbox with seeded users, run
`adultwork sandbox`; for a guided tour of every operation, run `adultwork demo`.";

const AFTER_HELP: &str = "\
Examples:
  adultwork demo                                 # a tour of every operation against a local sandbox
  adultwork sandbox --port 8080                  # run a local sandbox in the foreground
  export ADULTWORK_BASE_URL=http://127.0.0.1:8080 ADULTWORK_TOKEN=sandbox-client-token
  adultwork webcam create --users 123456,123457 --session-date \"2026-12-01 12:00\" \\
      --duration 10 --credits 10 --software skype --sign-in ClientUserOnSkype
  adultwork --format xml webcam details --booking-id 1
  adultwork webcam wait --booking-id 1 --until accepted --timeout 10m
  adultwork --token sandbox-manager-token --as-user 100001 webcam details --booking-id 1
  adultwork completions bash > ~/.local/share/bash-completion/completions/adultwork

Exit codes:
  0  success: the response is on stdout as JSON
  1  the API answered with an error (status and message on stderr)
  2  invalid input, found before anything was sent
  3  transport failure with nothing sent (connect), or a failed or undecodable answer to a
     read (`webcam details`)
  4  the outcome is unknown: a create, cancel or reschedule was sent and no definitive answer
     came back (a timeout, a dropped connection, an undecodable answer, a gateway's 502 or
     504). It may have taken effect: check before running the command again
  5  `webcam wait`: the booking reached a state from which the target cannot come (rejected,
     cancelled, or still pending when its AcceptBy passed)
  124  `webcam wait`: gave up at --timeout";

/// The whole command line.
#[derive(Debug, Parser)]
#[command(
    name = "adultwork",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP,
    propagate_version = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The help heading of the options every command takes.
const GLOBAL: &str = "Global options";

/// Where requests go, as whom, and in which wire format.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct GlobalArgs {
    /// The API's base URL (AdultWork's public sandbox unless set)
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        env = adultwork::BASE_URL_ENV,
        hide_env_values = true,
        value_name = "URL",
        default_value = adultwork::SANDBOX_URL
    )]
    pub(crate) base_url: String,

    /// Your access token, sent as `Authorization: bearer TOKEN`; never printed
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        env = adultwork::TOKEN_ENV,
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub(crate) token: Option<String>,

    /// The wire format to ask for; the output is JSON either way
    #[arg(long, global = true, help_heading = GLOBAL, value_enum, default_value_t = WireFormat::Json)]
    pub(crate) format: WireFormat,

    /// As a group manager, act as member ID of your group (only with `webcam details` and `webcam wait`)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "ID")]
    pub(crate) as_user: Option<i64>,
}

/// The response format asked of the API (`Accept` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum WireFormat {
    /// application/json
    Json,
    /// application/xml (.NET DataContract)
    Xml,
}

impl From<WireFormat> for Format {
    fn from(f: WireFormat) -> Self {
        match f {
            WireFormat::Json => Format::Json,
            WireFormat::Xml => Format::Xml,
        }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Webcam bookings you made: create, details, cancel, reschedule, wait
    #[command(subcommand)]
    Webcam(cmd_webcam::WebcamCommand),
    /// Phone-chat bookings: create
    #[command(subcommand, name = "phonechat")]
    PhoneChat(cmd_phonechat::PhoneChatCommand),
    /// Run a local sandbox API in the foreground (Ctrl-C stops it)
    Sandbox(cmd_sandbox::SandboxArgs),
    /// Start a sandbox in-process and walk through every operation
    #[command(long_about = demo::LONG_ABOUT)]
    Demo,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout
    #[command(after_help = "Example:\n  adultwork man > ~/.local/share/man/man1/adultwork.1")]
    Man,
}

const COMPLETIONS_HELP: &str = "\
Install:
  bash        adultwork completions bash > ~/.local/share/bash-completion/completions/adultwork
  zsh         adultwork completions zsh > ~/.zfunc/_adultwork   (with fpath+=~/.zfunc in .zshrc)
  fish        adultwork completions fish > ~/.config/fish/completions/adultwork.fish
  powershell  adultwork completions powershell >> $PROFILE";

impl Command {
    /// The HTTP route an API command calls, e.g. `POST /v1/Webcam/CreateBooking`, read from
    /// the spec through the SDK's operation table; with `as_user`, the group-manager variant
    /// where there is one. `None` for `sandbox` and `demo`.
    pub(crate) fn route(&self, as_user: Option<i64>) -> Option<String> {
        let op = match self {
            Command::Webcam(cmd) => cmd.operation(as_user),
            Command::PhoneChat(cmd) => cmd.operation(),
            Command::Sandbox(_) | Command::Demo | Command::Completions { .. } | Command::Man => {
                return None;
            }
        };
        Some(format!("{} {}", op.method(), op.path()))
    }

    /// Whether `--as-user` means something for this command.
    fn takes_as_user(&self) -> bool {
        matches!(
            self,
            Command::Webcam(
                cmd_webcam::WebcamCommand::Details(_) | cmd_webcam::WebcamCommand::Wait(_)
            )
        )
    }
}

/// A successful answer of the API, printed as JSON with the API's field names.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub(crate) enum Response {
    /// One result per invited user (`webcam create`).
    WebcamResults(Vec<WebcamBookingResult>),
    /// A webcam booking (`webcam details|cancel|reschedule|wait`).
    Webcam(Box<WebcamBooking>),
    /// A phone-chat booking (`phonechat create`).
    PhoneChat(Box<PhoneChatBooking>),
}

/// A failure of a command, with the exit code it maps to.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The process exit code.
    pub(crate) code: u8,
    /// One line for stderr.
    pub(crate) message: String,
}

impl Failure {
    /// The API answered with an error.
    pub(crate) const API: u8 = 1;
    /// Invalid input, found before anything was sent.
    pub(crate) const INPUT: u8 = 2;
    /// Transport failure with nothing sent, or a failed or undecodable answer to a GET.
    pub(crate) const TRANSPORT: u8 = 3;
    /// A POST was sent and no definitive answer came back: it may have taken effect.
    pub(crate) const UNKNOWN: u8 = 4;

    pub(crate) fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = exit_code(&e);
        let mut message = e.to_string();
        if code == Self::INPUT {
            message.push_str("; nothing was sent");
        }
        if code == Self::UNKNOWN {
            message.push_str(&match e.raw_body().and_then(|b| booking_id_in(b)) {
                Some(id) => format!(
                    ". The part of the answer that arrived names BookingID {id}: \
                     `adultwork webcam details --booking-id {id}` shows a webcam booking"
                ),
                None => ". Look for the booking on AdultWork, or read one whose ID you know \
                     with `adultwork webcam details --booking-id ID`, before running this \
                     command again"
                    .to_string(),
            });
        }
        Self::new(code, message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, whatever the message holds.
        let line: String = self
            .message
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        write!(f, "error: {line}")
    }
}

/// `text` with every occurrence of the token replaced by `***`. The SDK never puts the token
/// in an error, but the API's message is printed as sent, and a server or proxy that echoes
/// the request's headers back must not get the token onto the user's terminal or CI log.
fn redact(text: &str, token: Option<&str>) -> String {
    match token.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => text.replace(t, "***"),
        None => text.to_string(),
    }
}

/// The exit code for an SDK error: 1 the API answered with an error, 2 caught before
/// sending, 4 a POST's outcome is unknown, 3 everything else on the way there and back
/// (connect, a GET's timeout, transport, undecodable or oversized body).
pub(crate) fn exit_code(e: &Error) -> u8 {
    match e {
        Error::Api { .. } | Error::Redirect { .. } => Failure::API,
        e if e.is_before_sending() => Failure::INPUT,
        e if e.outcome_unknown() => Failure::UNKNOWN,
        _ => Failure::TRANSPORT,
    }
}

/// The first positive `BookingID` in what arrived of an answer, JSON (`"BookingID": 17`) or
/// XML (`<BookingID>17</BookingID>`).
fn booking_id_in(body: &[u8]) -> Option<i64> {
    const NAME: &[u8] = b"BookingID";
    body.windows(NAME.len())
        .enumerate()
        .filter(|(_, w)| *w == NAME)
        .find_map(|(at, _)| {
            let rest = &body[at + NAME.len()..];
            let skip = rest
                .iter()
                .take_while(|b| matches!(b, b'"' | b':' | b'>' | b' ' | b'\t'))
                .count();
            let digits: &[u8] = &rest[skip..];
            let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
            std::str::from_utf8(&digits[..len])
                .ok()?
                .parse::<i64>()
                .ok()
                .filter(|&id| id > 0)
        })
}

/// The SDK client the global options describe. The token is required.
pub(crate) fn client(global: &GlobalArgs) -> Result<Client, Error> {
    let token = global
        .token
        .as_deref()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::Config(format!(
                "no access token: pass --token TOKEN or set {}",
                adultwork::TOKEN_ENV
            ))
        })?;
    // An empty ADULTWORK_BASE_URL means "not set", as for most tools.
    let base_url = match global.base_url.trim() {
        "" => adultwork::SANDBOX_URL,
        url => url,
    };
    Client::builder()
        .base_url(base_url)
        .token(token)
        .format(global.format.into())
        .build()
}

/// Runs an API command (`webcam ...`, `phonechat ...`) and returns the API's answer.
/// `sandbox` and `demo` are not API commands; [`main`] dispatches them itself.
pub(crate) async fn run_api(cli: &Cli) -> Result<Response, Error> {
    let client = client(&cli.global)?;
    match &cli.command {
        Command::Webcam(cmd) => cmd_webcam::run(&client, cli.global.as_user, cmd).await,
        Command::PhoneChat(cmd) => cmd_phonechat::run(&client, cmd).await,
        Command::Sandbox(_) | Command::Demo | Command::Completions { .. } | Command::Man => Err(
            Error::Config("`sandbox`, `demo`, `completions` and `man` do not call the API".into()),
        ),
    }
}

/// Rejects option combinations clap cannot express, the way clap reports usage errors
/// (exit code 2).
fn check_usage(cli: &Cli) -> Result<(), clap::Error> {
    if let Some(id) = cli.global.as_user
        && !cli.command.takes_as_user()
    {
        return Err(Cli::command().error(
            clap::error::ErrorKind::ArgumentConflict,
            format!(
                "--as-user {id} only applies to `webcam details` and `webcam wait` (the \
                 group-manager endpoint GET /v1/Groups/Webcam/MadeBookingDetails); no other \
                 operation has a group-manager variant"
            ),
        ));
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = check_usage(&cli) {
        e.exit();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(Failure::TRANSPORT);
        }
    };
    let outcome = runtime.block_on(async {
        match &cli.command {
            Command::Sandbox(args) => cmd_sandbox::run(args).await,
            Command::Demo => demo::run().await,
            Command::Webcam(cmd_webcam::WebcamCommand::Wait(args)) => {
                cmd_wait::run(&cli.global, args).await
            }
            Command::Completions { shell } => {
                let mut script = Vec::new();
                clap_complete::generate(*shell, &mut Cli::command(), "adultwork", &mut script);
                print::bytes(&script);
                Ok(())
            }
            Command::Man => {
                let mut page = Vec::new();
                clap_mangen::Man::new(Cli::command())
                    .render(&mut page)
                    .map_err(|e| Failure::new(Failure::TRANSPORT, format!("man page: {e}")))?;
                print::bytes(&page);
                Ok(())
            }
            _ => {
                let response = run_api(&cli).await?;
                print::json(&response);
                Ok(())
            }
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!(
                "{}",
                redact(&failure.to_string(), cli.global.token.as_deref())
            );
            ExitCode::from(failure.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Every API command's operation is in the spec, and its route is the one its `--help`
    /// names (the demo prints the same route).
    #[test]
    fn every_route_is_named_in_its_help() {
        let cases: [(&[&str], &str, &str); 6] = [
            (
                &[
                    "webcam",
                    "create",
                    "--users",
                    "1",
                    "--session-date",
                    "2030-01-01 12:00",
                    "--duration",
                    "5",
                    "--credits",
                    "1",
                    "--software",
                    "3",
                    "--sign-in",
                    "x",
                ],
                "webcam",
                "create",
            ),
            (
                &["webcam", "details", "--booking-id", "1"],
                "webcam",
                "details",
            ),
            (
                &["--as-user", "7", "webcam", "details", "--booking-id", "1"],
                "webcam",
                "details",
            ),
            (
                &["webcam", "cancel", "--booking-id", "1", "--reason", "x"],
                "webcam",
                "cancel",
            ),
            (
                &["webcam", "reschedule", "--booking-id", "1"],
                "webcam",
                "reschedule",
            ),
            (
                &[
                    "phonechat",
                    "create",
                    "--user",
                    "1",
                    "--session-date",
                    "2030-01-01 12:00",
                    "--accept-by",
                    "2030-01-01 11:00",
                    "--duration",
                    "5",
                    "--method",
                    "2",
                    "--credits",
                    "1",
                ],
                "phonechat",
                "create",
            ),
        ];
        let mut routes = std::collections::BTreeSet::new();
        for (argv, group, op) in cases {
            let cli = Cli::try_parse_from(std::iter::once("adultwork").chain(argv.iter().copied()))
                .unwrap();
            let route = cli.command.route(cli.global.as_user).unwrap();
            let (method, path) = route
                .split_once(' ')
                .unwrap_or_else(|| panic!("{route}: not in the SDK's operation table"));
            let mut cmd = Cli::command();
            let help = cmd
                .find_subcommand_mut(group)
                .and_then(|g| g.find_subcommand_mut(op))
                .and_then(|c| c.get_long_about().map(ToString::to_string))
                .unwrap();
            assert!(
                help.contains(&format!("{method} {path}")),
                "{group} {op}: {route} not in\n{help}"
            );
            routes.insert(route);
        }
        assert_eq!(routes.len(), 6, "one route per operation: {routes:?}");
    }

    #[test]
    fn exit_codes_follow_the_contract() {
        assert_eq!(exit_code(&Error::Config("x".into())), 2);
        assert_eq!(
            exit_code(&Error::Validation(adultwork::validate::Violation::new(
                "Duration",
                "must be at least 5"
            ))),
            2
        );
        assert_eq!(exit_code(&Error::Timeout), 3);
        let (detail, source) = ("refused".to_string(), None);
        assert_eq!(exit_code(&Error::Connect { detail, source }), 3);
        let (detail, source) = ("reset".to_string(), None);
        assert_eq!(exit_code(&Error::Transport { detail, source }), 3);
        assert_eq!(exit_code(&Error::BodyTooLarge { limit: 1 }), 3);
        assert_eq!(
            exit_code(&Error::Decode {
                format: Format::Xml,
                detail: "x".into(),
                snippet: "y".into(),
                source: None,
            }),
            3
        );
        let unknown = Error::OutcomeUnknown {
            effect: "the booking may have been made",
            cause: Box::new(Error::Timeout),
            body: br#"[{"BookingID": 17, "Sta"#[..].into(),
        };
        assert_eq!(exit_code(&unknown), 4);
        let failure = Failure::from(unknown);
        assert_eq!(failure.code, 4);
        assert!(
            failure.message.contains("may have been made")
                && failure.message.contains("--booking-id 17"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn a_booking_id_is_found_in_what_arrived_of_an_answer() {
        assert_eq!(booking_id_in(br#"[{"BookingID":5,"#), Some(5));
        assert_eq!(
            booking_id_in(br#"<BookingID i:nil="true"/><BookingID>42</BookingID>"#),
            Some(42)
        );
        assert_eq!(booking_id_in(br#"{"BookingID": null}"#), None);
        assert_eq!(booking_id_in(br#"{"BookingID": 0}"#), None);
        assert_eq!(booking_id_in(b"BookingID"), None);
        assert_eq!(booking_id_in(b"BookingID:99999999999999999999999"), None);
    }

    #[test]
    fn redact_hides_every_copy_of_the_token() {
        assert_eq!(
            redact("bearer abc123; again abc123", Some("abc123")),
            "bearer ***; again ***"
        );
        assert_eq!(redact("nothing here", Some("abc123")), "nothing here");
        assert_eq!(redact("no token given", None), "no token given");
        assert_eq!(redact("blank token", Some(" ")), "blank token");
    }

    #[test]
    fn failure_is_one_line() {
        let f = Failure::new(1, "the API answered 400:\nfirst\r\nsecond");
        assert_eq!(f.to_string(), "error: the API answered 400: first  second");
    }

    #[test]
    fn as_user_only_with_webcam_details() {
        let ok = Cli::try_parse_from([
            "adultwork",
            "--as-user",
            "1",
            "webcam",
            "details",
            "--booking-id",
            "1",
        ])
        .unwrap();
        assert!(check_usage(&ok).is_ok());
        let bad = Cli::try_parse_from([
            "adultwork",
            "--as-user",
            "1",
            "webcam",
            "reschedule",
            "--booking-id",
            "1",
        ])
        .unwrap();
        assert!(check_usage(&bad).is_err());
    }
}
