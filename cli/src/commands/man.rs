//! `adultwork man`: the man page (roff) on stdout.

use crate::exit::Failure;
use crate::print;

/// Prints the man page of `command` (the whole command line, from `main`).
pub(crate) fn run(command: clap::Command) -> Result<(), Failure> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .map_err(|e| Failure::new(Failure::TRANSPORT, format!("man page: {e}")))?;
    print::bytes(&page);
    Ok(())
}
