//! `adultwork completions SHELL`: a shell completion script on stdout.

use crate::exit::Failure;
use crate::print;

/// `adultwork completions`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

const AFTER_HELP: &str = "\
Install:
  bash        adultwork completions bash > ~/.local/share/bash-completion/completions/adultwork
  zsh         adultwork completions zsh > ~/.zfunc/_adultwork   (with fpath+=~/.zfunc in .zshrc)
  fish        adultwork completions fish > ~/.config/fish/completions/adultwork.fish
  powershell  adultwork completions powershell >> $PROFILE";

/// Prints the completion script of `command` (the whole command line, from `main`) for
/// `args.shell`.
pub(crate) fn run(args: &CompletionsArgs, mut command: clap::Command) -> Result<(), Failure> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "adultwork", &mut script);
    print::bytes(&script);
    Ok(())
}
