//! The API's operations, generated from `openapi.yaml` by `build.rs`: the one table the SDK,
//! the sandbox (routes, scopes) and the CLI read an operation's id, route, scopes and XML
//! description from.

use std::fmt;
use std::str::FromStr;

include!(concat!(env!("OUT_DIR"), "/operations.rs"));

/// One property of a JSON request body, as the spec declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestField {
    /// The wire name.
    pub name: &'static str,
    /// The JSON type: `string`, `integer`, `number`, `boolean`, `object` or `array`.
    pub json_type: &'static str,
    /// Whether it may be `null`.
    pub nullable: bool,
}

/// An operation as types: its request body and its success body. Implemented by the marker
/// types in [`endpoints`].
///
/// ```
/// use adultwork::{Endpoint, Operation, endpoints};
///
/// assert_eq!(endpoints::CreateWebcamBooking::OPERATION, Operation::CreateWebcamBooking);
/// let _: <endpoints::CreateWebcamBooking as Endpoint>::Response =
///     adultwork::types::WebcamBookingResults(Vec::new());
/// ```
pub trait Endpoint {
    /// The operation.
    const OPERATION: Operation;
    /// The JSON request body (`()` for a request without one).
    type Body;
    /// The success body.
    type Response;
}

impl Operation {
    /// The operation with this `operationId`.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.id() == id)
    }

    /// Whether any operation requires `scope` (is it a scope of this API at all?).
    ///
    /// ```
    /// use adultwork::Operation;
    ///
    /// assert!(Operation::is_scope("account_phonechat_bookings"));
    /// assert!(!Operation::is_scope("account_everything"));
    /// ```
    pub fn is_scope(scope: &str) -> bool {
        Self::ALL.iter().any(|op| op.scopes().contains(&scope))
    }

    /// The spec's property `name` of the request body, if it has one.
    pub fn request_field(self, name: &str) -> Option<RequestField> {
        self.request_fields()
            .iter()
            .find(|f| f.name == name)
            .copied()
    }
}

impl fmt::Display for Operation {
    /// The `operationId`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A string that is no operation's `operationId`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no operation is called {0:?}")]
pub struct UnknownOperation(pub String);

impl FromStr for Operation {
    type Err = UnknownOperation;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_id(s).ok_or_else(|| UnknownOperation(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_unknown_ids_are_refused() {
        for op in Operation::ALL {
            assert_eq!(op.id().parse::<Operation>(), Ok(op));
            assert_eq!(op.to_string(), op.id());
        }
        assert_eq!(
            "create_booking".parse::<Operation>(),
            Err(UnknownOperation("create_booking".into()))
        );
    }

    #[test]
    fn request_field_types_come_from_the_spec() {
        let field = |op: Operation, name| op.request_field(name).map(|f| (f.json_type, f.nullable));
        assert_eq!(
            field(Operation::CreateWebcamBooking, "Credits"),
            Some(("number", false))
        );
        assert_eq!(
            field(Operation::CreateWebcamBooking, "SessionDate"),
            Some(("string", false))
        );
        assert_eq!(
            field(Operation::CreateWebcamBooking, "SoftwareTypeID"),
            Some(("integer", false))
        );
        assert_eq!(
            field(Operation::CreatePhoneChatBooking, "Comments"),
            Some(("string", false))
        );
        assert_eq!(
            field(Operation::CancelMadeWebcamBooking, "Reason"),
            Some(("string", false))
        );
        assert_eq!(
            field(Operation::RescheduleMadeWebcamBooking, "BookingID"),
            Some(("integer", false))
        );
        assert_eq!(
            field(Operation::GetMadeWebcamBookingDetails, "BookingID"),
            None
        );
    }
}
