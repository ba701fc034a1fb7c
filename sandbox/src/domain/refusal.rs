//! Why the sandbox refuses a request, independent of HTTP (the HTTP layer maps each kind to
//! a status code).

use std::fmt;

use adultwork::validate::Violation;

/// A refused operation. No refused operation changes any state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// A documented rule or prerequisite is broken (HTTP 400); names the field and the rule.
    Invalid(Violation),
    /// The user may not act on this resource (HTTP 403), e.g. a group manager acting as
    /// someone outside their group.
    Forbidden(String),
    /// No such booking for this user (HTTP 404).
    NotFound(String),
    /// The booking is not in a state this transition starts from (HTTP 409, control endpoints).
    Conflict(String),
    /// The sandbox holds as many bookings as it may (HTTP 507): a limit of the sandbox, not
    /// of the API.
    Full(String),
}

impl Refusal {
    /// A broken rule: `field` and `rule` as in [`Violation`].
    pub fn invalid(field: &'static str, rule: impl Into<String>) -> Self {
        Self::Invalid(Violation::new(field, rule))
    }
}

impl From<Violation> for Refusal {
    fn from(v: Violation) -> Self {
        Self::Invalid(v)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(v) => write!(f, "{v}."),
            Self::Forbidden(m) | Self::NotFound(m) | Self::Conflict(m) | Self::Full(m) => {
                f.write_str(m)
            }
        }
    }
}

impl std::error::Error for Refusal {}
