//! `adultwork`: every AdultWork booking operation from a shell, a local sandbox server, and a
//! guided demo.
//!
//! This file is the entry point and the dispatch: it parses the command line ([`cli`]), runs
//! the command's group (one module per group under [`commands`]) and turns the outcome into
//! an exit code ([`exit`]), with the token redacted from stderr ([`redact`]). The global
//! options and the SDK client they describe are in [`global`], the value parsers fed from the
//! SDK's lists of names in [`args`].
//!
//! Everything written to stdout goes through [`mod@print`]; `clippy::print_stdout` is denied
//! everywhere else.
#![forbid(unsafe_code)]
#![deny(clippy::print_stdout)]
#![warn(missing_docs)]

mod args;
mod cli;
mod commands;
mod exit;
mod global;
mod print;
mod redact;

use std::process::ExitCode;

use adultwork::Error;
use clap::{CommandFactory, Parser};

use crate::cli::{Cli, Command};
use crate::commands::webcam::WebcamCommand;
use crate::commands::{Response, completions, demo, man, phonechat, sandbox, wait, webcam};
use crate::exit::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = cli::check_usage(&cli) {
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
    match runtime.block_on(run(&cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!(
                "{}",
                redact::redact(&failure.to_string(), cli.global.token.as_deref())
            );
            ExitCode::from(failure.code)
        }
    }
}

/// Runs the command `cli` names.
async fn run(cli: &Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Sandbox(args) => sandbox::run(args).await,
        Command::Demo => demo::run().await,
        Command::Webcam(WebcamCommand::Wait(args)) => wait::run(&cli.global, args).await,
        Command::Completions(args) => completions::run(args, Cli::command()),
        Command::Man => man::run(Cli::command()),
        Command::Webcam(_) | Command::PhoneChat(_) => {
            let response = run_api(cli).await?;
            print::json(&response);
            Ok(())
        }
    }
}

/// Runs an API command (`webcam ...`, `phonechat ...`) and returns the API's answer.
/// The other commands are not API commands; [`run`] dispatches them itself.
pub(crate) async fn run_api(cli: &Cli) -> Result<Response, Error> {
    let client = cli.global.client()?;
    match &cli.command {
        Command::Webcam(cmd) => webcam::run(&client, cli.global.as_user, cmd).await,
        Command::PhoneChat(cmd) => phonechat::run(&client, cmd).await,
        Command::Sandbox(_) | Command::Demo | Command::Completions(_) | Command::Man => Err(
            Error::Config("`sandbox`, `demo`, `completions` and `man` do not call the API".into()),
        ),
    }
}
