//! The global options (where requests go, as whom, in which wire format) and the SDK client
//! they describe.

use adultwork::{Client, Error, Format};

use crate::args;

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
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        value_name = "FORMAT",
        value_parser = args::named::<Format>(),
        default_value = Format::default().name()
    )]
    pub(crate) format: Format,

    /// As a group manager, act as member ID of your group (only with `webcam details` and `webcam wait`)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "ID")]
    pub(crate) as_user: Option<i64>,
}

impl GlobalArgs {
    /// The SDK client these options describe. The token is required.
    pub(crate) fn client(&self) -> Result<Client, Error> {
        let token = self
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
        let base_url = match self.base_url.trim() {
            "" => adultwork::SANDBOX_URL,
            url => url,
        };
        Client::builder()
            .base_url(base_url)
            .token(token)
            .format(self.format)
            .build()
    }
}
