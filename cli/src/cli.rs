//! The command line: the top-level parser, its help, the command groups it dispatches to,
//! and the checks clap cannot express.

use clap::{CommandFactory, Parser, Subcommand};

use crate::commands::{completions, phonechat, sandbox, webcam};
use crate::global::GlobalArgs;

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

/// `adultwork demo --help`: what the tour shows.
const DEMO_LONG_ABOUT: &str = "\
Start a sandbox in-process and walk through every operation.

The demo starts a local sandbox on a free port and runs real `adultwork` command lines
against it, printing for each step the command, the HTTP route it calls and the key fields of
the answer: a webcam booking inviting three performers (the API's three outcomes), the
performer accepting, the booking's details as JSON and as XML, the group-manager view,
cancelling, rescheduling, waiting for performers who answer by themselves (one accepts,
`webcam wait` exits 0; one rejects, it exits 5), a phone-chat booking for each method, and
requests refused by the API and by the CLI itself. It needs no network and no token (it ignores --base-url, --token
and the ADULTWORK_* variables), and exits when done.";

/// `adultwork man`'s `--help` epilogue.
const MAN_AFTER_HELP: &str = "Example:\n  adultwork man > ~/.local/share/man/man1/adultwork.1";

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

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Webcam bookings you made: create, details, cancel, reschedule, wait
    #[command(subcommand)]
    Webcam(webcam::WebcamCommand),
    /// Phone-chat bookings: create
    #[command(subcommand, name = "phonechat")]
    PhoneChat(phonechat::PhoneChatCommand),
    /// Run a local sandbox API in the foreground (Ctrl-C stops it)
    Sandbox(sandbox::SandboxArgs),
    /// Start a sandbox in-process and walk through every operation
    #[command(long_about = DEMO_LONG_ABOUT)]
    Demo,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff) on stdout
    #[command(after_help = MAN_AFTER_HELP)]
    Man,
}

impl Command {
    /// The HTTP route an API command calls, e.g. `POST /v1/Webcam/CreateBooking`, read from
    /// the spec through the SDK's operation table; with `as_user`, the group-manager variant
    /// where there is one. `None` for `sandbox` and `demo`.
    pub(crate) fn route(&self, as_user: Option<i64>) -> Option<String> {
        let op = match self {
            Command::Webcam(cmd) => cmd.operation(as_user),
            Command::PhoneChat(cmd) => cmd.operation(),
            Command::Sandbox(_) | Command::Demo | Command::Completions(_) | Command::Man => {
                return None;
            }
        };
        Some(format!("{} {}", op.method(), op.path()))
    }

    /// Whether `--as-user` means something for this command.
    fn takes_as_user(&self) -> bool {
        matches!(
            self,
            Command::Webcam(webcam::WebcamCommand::Details(_) | webcam::WebcamCommand::Wait(_))
        )
    }
}

/// Rejects option combinations clap cannot express, the way clap reports usage errors
/// (exit code 2).
pub(crate) fn check_usage(cli: &Cli) -> Result<(), clap::Error> {
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
