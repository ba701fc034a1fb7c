//! `adultwork man`: the man page (roff) on stdout.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit::Failure;
use crate::print;

/// `adultwork man`'s `--help` epilogue.
pub(crate) const AFTER_HELP: &str =
    "Example:\n  adultwork man > ~/.local/share/man/man1/adultwork.1";

/// Prints the man page.
pub(crate) fn run() -> Result<(), Failure> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Failure::new(Failure::TRANSPORT, format!("man page: {e}")))?;
    print::bytes(&page);
    Ok(())
}
