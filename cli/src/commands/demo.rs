//! `adultwork demo`: a guided tour of every operation against an in-process sandbox.
//!
//! Each step is a real `adultwork` command line, parsed and run by the same code as in a
//! shell (argument parsing, client construction, the SDK call, exit-code mapping, JSON
//! printing); the demo only adds the story around it and plays the performer through the
//! sandbox's control endpoints.

use std::time::Instant;

use adultwork::types::WebcamBooking;
use adultwork_sandbox::{CLIENT_TOKEN, MANAGER_TOKEN, Sandbox};
use chrono::{NaiveDateTime, TimeDelta, Utc};
use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::webcam::WebcamCommand;
use crate::commands::{Response, wait};
use crate::exit::Failure;
use crate::print;

/// The group member the manager token may act as (in the sandbox's seed data).
const GROUP_MEMBER: i64 = 100001;

/// The steps of the tour, for the `[n/N]` progress lines.
const STEPS: usize = 17;

/// Runs the tour.
pub(crate) async fn run() -> Result<(), Failure> {
    let started = Instant::now();
    let sandbox = Sandbox::start().await.map_err(|e| {
        Failure::new(
            Failure::TRANSPORT,
            format!("could not start the in-process sandbox: {e}"),
        )
    })?;
    let mut tour = Tour {
        base_url: sandbox.base_url(),
        http: reqwest::Client::new(),
        step: 0,
    };
    let outcome = tour.walk().await;
    let stopped = sandbox.shutdown().await;
    outcome?;
    stopped.map_err(|e| {
        Failure::new(
            Failure::TRANSPORT,
            format!("the in-process sandbox did not stop cleanly: {e}"),
        )
    })?;
    print::line(format!(
        "\nDone: {STEPS} steps in {:.1} s. The sandbox is gone with the demo; run `adultwork sandbox` for \
         one that stays,\nand `adultwork <command> --help` for every flag.",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

struct Tour {
    base_url: String,
    http: reqwest::Client,
    step: usize,
}

impl Tour {
    async fn walk(&mut self) -> Result<(), Failure> {
        let now = Utc::now().naive_utc();
        print::line(format!(
            "adultwork demo: a tour of the AdultWork booking API\n\n\
             A sandbox API runs in-process at {url}, seeded with a client (100001 \"ClientUser\"),\n\
             performers (123456 \"JosepheneBlogs\", 123457, 123458; 123461 \"PromptPriya\" and\n\
             123462 \"BusyBella\", who answer by themselves) and a group manager (100002).\n\
             Each step runs a real `adultwork` command line through the CLI's own code. To repeat\n\
             them in your shell, start `adultwork sandbox` and:\n\
             \n  export ADULTWORK_BASE_URL=http://127.0.0.1:8080 ADULTWORK_TOKEN={CLIENT_TOKEN}",
            url = self.base_url
        ));

        // 1. Create: three invitations, the API's three outcomes.
        let session = minutes(now + TimeDelta::days(2));
        let results = self
            .command(
                "Invite three performers to a 10-minute Skype session in two days",
                &format!(
                    "webcam create --users 123456,123457,123458 --session-date \"{session}\" \
                     --duration 10 --credits 10 --software skype --sign-in ClientUserOnSkype \
                     --also-phone-chat --phone-number 0123456789"
                ),
                "",
            )
            .await?;
        let Response::WebcamResults(results) = results else {
            return Err(unexpected("webcam create"));
        };
        let mut booked = Vec::new();
        for r in &results {
            let id = r
                .booking_id
                .map_or_else(|| "null".to_string(), |id| id.to_string());
            answer(format!(
                "user {}: Status {} ({}), BookingID {id}: {}",
                r.user_id,
                r.status.code(),
                r.status,
                r.status_description
            ));
            booked.extend(r.booking_id);
        }
        note(
            "One result per invited user: 0 booked; 1 booked, but without the phone chat (the user",
        );
        note(
            "does not offer it); 2 not booked (the user is not on Skype). The first to accept wins.",
        );
        let (&first, others) = booked
            .split_first()
            .ok_or_else(|| unexpected("no booking was made"))?;

        // 2. The performer accepts: the sandbox plays the other party.
        self.heading("JosepheneBlogs (123456) accepts, played by the sandbox's control endpoint");
        let path = format!("/_sandbox/webcam/{first}/accept");
        route(&format!("POST {path}   (sandbox only, no token)"));
        self.control(&path).await?;
        answer("accepted");

        // 3. Details as JSON, printed exactly as the command prints it.
        let json = self
            .webcam(
                "Read the booking: the command prints the API's answer as JSON",
                &format!("webcam details --booking-id {first}"),
                &format!("?BookingID={first}"),
            )
            .await?;
        print::json(&json);

        // 4. The other invitation was cancelled by the acceptance.
        let other = others
            .first()
            .ok_or_else(|| unexpected("only one booking was made"))?;
        let b = self
            .webcam(
                "The other invitation was cancelled when 123456 accepted",
                &format!("webcam details --booking-id {other}"),
                &format!("?BookingID={other}"),
            )
            .await?;
        answer(format!(
            "booking {} with {}: Status {}, CancelledReason {}",
            b.webcam_booking_id,
            b.performer.nickname,
            b.status,
            quoted(b.cancelled_reason.as_deref())
        ));

        // 5. The same booking as DataContract XML.
        let xml = self
            .webcam(
                "Read it again, asking for XML (Accept: application/xml)",
                &format!("--format xml webcam details --booking-id {first}"),
                &format!("?BookingID={first}"),
            )
            .await?;
        if serde_json::to_value(&xml).ok() != serde_json::to_value(&json).ok() {
            return Err(unexpected("the XML answer differs from the JSON answer"));
        }
        answer("the DataContract XML decodes into the same types: the printed JSON is identical");

        // 6. Group manager.
        let b = self
            .webcam(
                "A group manager reads the booking as member 100001 of their group",
                &format!(
                    "--token {MANAGER_TOKEN} --as-user {GROUP_MEMBER} webcam details --booking-id {first}"
                ),
                &format!("?UserID={GROUP_MEMBER}&BookingID={first}"),
            )
            .await?;
        summary(&b);

        // 7. Cancel.
        let b = self
            .webcam(
                "Cancel the booking, with a reason",
                &format!("webcam cancel --booking-id {first} --reason \"I can't make it.\""),
                "",
            )
            .await?;
        answer(format!(
            "booking {}: Status {}, CancelledBy {}, CancelledReason {}",
            b.webcam_booking_id,
            b.status,
            quoted(b.cancelled_by.as_deref()),
            quoted(b.cancelled_reason.as_deref())
        ));

        // 8. The API refuses to cancel twice: exit code 1.
        self.refused(
            "Cancel it again: the API refuses (exit code 1)",
            &format!("webcam cancel --booking-id {first} --reason Twice."),
        )
        .await?;

        // 9. Reschedule.
        let b = self
            .webcam(
                "Reschedule: a new booking with the same settings, five minutes from now",
                &format!("webcam reschedule --booking-id {first}"),
                "",
            )
            .await?;
        summary(&b);

        // 10-12. Performers who answer by themselves, and `webcam wait`.
        let session = minutes(now + TimeDelta::days(2) + TimeDelta::hours(1));
        let prompt = self
            .create_one(
                "Invite PromptPriya (123461): the sandbox's data has her accept after 3 s",
                &invite_one(123461, &session),
            )
            .await?;
        self.heading("Wait until she accepts: `webcam wait` polls the booking (GETs only)");
        self.wait(&format!(
            "webcam wait --booking-id {prompt} --until accepted --timeout 1m --interval 250ms --max-interval 1s"
        ))
        .await?;
        let busy = self
            .create_one(
                "Invite BusyBella (123462), who rejects after 2 s, and wait: exit code 5",
                &invite_one(123462, &session),
            )
            .await?;
        self.wait(&format!(
            "webcam wait --booking-id {busy} --timeout 1m --interval 250ms --max-interval 1s"
        ))
        .await?;

        // 13-15. A phone chat for each method.
        let session = minutes(now + TimeDelta::days(2) + TimeDelta::hours(3));
        let accept_by = minutes(now + TimeDelta::days(1));
        for (story, method) in [
            (
                "Book a phone chat where the performer calls you (method 1, call-me)",
                "--method call-me --phone-number 0123456789 --comments \"Looking forward to it!\"",
            ),
            (
                "Book a phone chat where you call the performer (method 2, i-call)",
                "--method i-call",
            ),
            (
                "Book a phone chat on Skype (method 3)",
                "--method skype --skype-name ClientUserOnSkype",
            ),
        ] {
            let line = format!(
                "phonechat create --user 123456 --session-date \"{session}\" \
                 --accept-by \"{accept_by}\" --duration 15 --credits 32 {method}"
            );
            let Response::PhoneChat(b) = self.command(story, &line, "").await? else {
                return Err(unexpected(&line));
            };
            answer(format!(
                "booking {}: Status {}, Method {} ({}), PhoneNumber {}, SkypeName {}",
                b.booking_id,
                b.status,
                b.method.code(),
                b.method,
                quoted(b.phone_number.as_deref()),
                quoted(b.skype_name.as_deref()),
            ));
            note(format!(
                "with {} at {} for {} credits; ActionClient {}",
                b.candidate.nickname,
                b.session_date,
                b.credits,
                quoted(b.action_client.as_deref())
            ));
        }

        // 16. Refused by the CLI before sending: exit code 2.
        self.refused(
            "Invite five performers: the CLI refuses before sending anything (exit code 2)",
            &format!(
                "webcam create --users 123456,123457,123458,123459,123460 \
                 --session-date \"{session}\" --duration 10 --credits 10 --software skype \
                 --sign-in ClientUserOnSkype"
            ),
        )
        .await?;

        // 17. A usage error, reported by the argument parser.
        self.heading("Use a messenger the API does not know: a usage error (exit code 2)");
        let line = format!(
            "webcam create --users 123456 --session-date \"{session}\" --duration 10 --credits 10 \
             --software icq --sign-in me"
        );
        shell(&line);
        match Cli::try_parse_from(std::iter::once("adultwork".to_string()).chain(split(&line))) {
            Ok(_) => return Err(unexpected("`--software icq` was accepted")),
            Err(e) => {
                route("nothing sent: the command line itself is refused");
                let text = e.to_string();
                let mut lines = text.lines().filter(|l| !l.trim().is_empty());
                answer(format!(
                    "exit code {}: {}",
                    e.exit_code(),
                    lines.next().unwrap_or_default()
                ));
                if let Some(values) = lines.next() {
                    note(values.trim());
                }
            }
        }
        Ok(())
    }

    fn heading(&mut self, story: &str) {
        self.step += 1;
        print::line(format!("\n[{}/{STEPS}] {story}", self.step));
    }

    /// Runs `adultwork LINE` (as the sandbox's client unless LINE names a `--token`) and
    /// returns the API's answer; prints the command line and the route it calls.
    async fn command(&mut self, story: &str, line: &str, query: &str) -> Result<Response, Failure> {
        self.heading(story);
        let cli = self.parse(line)?;
        shell(line);
        let route_called = cli.command.route(cli.global.as_user).unwrap_or_default();
        let outcome = crate::run_api(&cli).await.map_err(Failure::from);
        match &outcome {
            Err(f) if f.code == Failure::INPUT => {
                route(&format!("nothing sent: {route_called} was never called"));
            }
            _ => route(&format!("{route_called}{query}")),
        }
        outcome
    }

    async fn webcam(
        &mut self,
        story: &str,
        line: &str,
        query: &str,
    ) -> Result<WebcamBooking, Failure> {
        match self.command(story, line, query).await? {
            Response::Webcam(b) => Ok(*b),
            _ => Err(unexpected(line)),
        }
    }

    /// A `webcam create` step inviting one performer; returns the booking's ID.
    async fn create_one(&mut self, story: &str, line: &str) -> Result<i64, Failure> {
        let Response::WebcamResults(results) = self.command(story, line, "").await? else {
            return Err(unexpected(line));
        };
        let id = results
            .first()
            .and_then(|r| r.booking_id)
            .ok_or_else(|| unexpected("no booking was made"))?;
        answer(format!("BookingID {id}, Status Pending"));
        Ok(id)
    }

    /// Runs a `webcam wait` LINE through the command's own code, showing each status change
    /// and the exit code the command would end with.
    async fn wait(&mut self, line: &str) -> Result<(), Failure> {
        let cli = self.parse(line)?;
        let Command::Webcam(WebcamCommand::Wait(args)) = &cli.command else {
            return Err(unexpected(line));
        };
        shell(line);
        route(&format!(
            "{}?BookingID={}, repeated with backoff",
            cli.command.route(None).unwrap_or_default(),
            args.booking_id
        ));
        let started = Instant::now();
        let mut last = None;
        let waited = wait::wait(&cli.global, args, |b| {
            if last.as_ref() != Some(&b.status) {
                note(format!(
                    "{:>4.1} s  {}",
                    started.elapsed().as_secs_f64(),
                    b.status
                ));
                last = Some(b.status.clone());
            }
        })
        .await;
        let b = waited
            .last
            .ok_or_else(|| unexpected("the wait read no booking"))?;
        match waited.failure {
            None => answer(format!(
                "exit code 0: booking {} is {}, AcceptedDate {}",
                b.webcam_booking_id,
                b.status,
                b.accepted_date
                    .map_or_else(|| "null".to_string(), |d| d.to_string())
            )),
            Some(f) if f.code == Failure::UNREACHABLE => answer(format!(
                "exit code {}: {f}; RejectedReason {}",
                f.code,
                quoted(b.rejected_reason.as_deref())
            )),
            Some(f) => return Err(f),
        }
        Ok(())
    }

    /// A step that must fail; shows the exit code and the line the command prints on stderr.
    async fn refused(&mut self, story: &str, line: &str) -> Result<(), Failure> {
        match self.command(story, line, "").await {
            Ok(_) => Err(unexpected(&format!("`adultwork {line}` succeeded"))),
            Err(failure) => {
                answer(format!("exit code {}: {failure}", failure.code));
                Ok(())
            }
        }
    }

    /// Parses LINE as the shell would hand it to `adultwork`, pointed at the in-process
    /// sandbox. The demo's own sandbox wins over `ADULTWORK_BASE_URL` and `ADULTWORK_TOKEN`.
    fn parse(&self, line: &str) -> Result<Cli, Failure> {
        let argv = split(line);
        let names_token = argv.iter().any(|a| a == "--token");
        let mut cli = Cli::try_parse_from(std::iter::once("adultwork".to_string()).chain(argv))
            .map_err(|e| Failure::new(Failure::INPUT, e.to_string()))?;
        cli.global.base_url.clone_from(&self.base_url);
        if !names_token {
            cli.global.token = Some(CLIENT_TOKEN.to_string());
        }
        Ok(cli)
    }

    /// Calls a sandbox control endpoint (acting as the other party).
    async fn control(&self, path: &str) -> Result<(), Failure> {
        let response = self
            .http
            .post(format!("{}{path}", self.base_url))
            .send()
            .await
            .map_err(|e| Failure::new(Failure::TRANSPORT, format!("POST {path}: {e}")))?;
        if response.status().is_success() {
            Ok(())
        } else {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            Err(Failure::new(
                Failure::API,
                format!("POST {path} answered {status}: {body}"),
            ))
        }
    }
}

/// Splits a command line the way a shell would for the demo's lines: on whitespace, with
/// double quotes around arguments that contain spaces.
fn split(line: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    args.push(std::mem::take(&mut current));
                    any = false;
                }
            }
            c => {
                current.push(c);
                any = true;
            }
        }
    }
    if any {
        args.push(current);
    }
    args
}

/// The `webcam create` line inviting one performer to a 10-minute Skype session.
fn invite_one(user: i64, session: &str) -> String {
    format!(
        "webcam create --users {user} --session-date \"{session}\" --duration 10 --credits 10 \
         --software skype --sign-in ClientUserOnSkype"
    )
}

fn summary(b: &WebcamBooking) {
    answer(format!(
        "booking {}: Status {}, with {} ({}), SessionDate {}, {} min, {} credits, AcceptedDate {}",
        b.webcam_booking_id,
        b.status,
        b.performer.nickname,
        b.performer.user_id,
        b.session_date,
        b.duration,
        b.credits,
        b.accepted_date
            .map_or_else(|| "null".to_string(), |d| d.to_string())
    ));
}

/// Shows a command line as a shell user would type it.
fn shell(line: &str) {
    print::line(format!("  $ adultwork {}", collapse_spaces(line)));
}

/// The line with its runs of whitespace (from the source's line continuations) collapsed.
fn collapse_spaces(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn route(text: &str) {
    print::line(format!("  -> {text}"));
}

fn answer(text: impl AsRef<str>) {
    print::line(format!("  <- {}", text.as_ref()));
}

fn note(text: impl AsRef<str>) {
    print::line(format!("     {}", text.as_ref()));
}

fn quoted(v: Option<&str>) -> String {
    v.map_or_else(|| "null".to_string(), |s| format!("{s:?}"))
}

fn minutes(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

fn unexpected(what: &str) -> Failure {
    Failure::new(
        Failure::API,
        format!("the demo did not go as expected: {what}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_quoted_arguments_whole() {
        assert_eq!(
            split(r#"webcam cancel --booking-id 1 --reason "I can't make it."  --x """#),
            [
                "webcam",
                "cancel",
                "--booking-id",
                "1",
                "--reason",
                "I can't make it.",
                "--x",
                ""
            ]
        );
    }
}
