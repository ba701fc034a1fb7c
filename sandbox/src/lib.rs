#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Three layers, each importing only those below it (README, "How it is built"). This file only
// re-exports.
mod domain; // the API's rules and the sandbox's state; no HTTP
mod http; // the router over the domain: routes from the spec, negotiation, guards, the page
mod server; // the sockets: accept loop, connections, Sandbox

pub use domain::{auth, faults, rules};

pub use domain::behaviour::Behaviour;
pub use domain::clock::Clock;
pub use domain::data::{
    DEFAULT_DATA_JSON, DataError, Feedback, Group, PhoneChatProfile, SandboxData, TokenGrant, User,
    WebcamProfile,
};
pub use domain::faults::{Effect, FaultError, FaultRule, Faults, FiredRule};
pub use domain::lifecycle::{Party, Transition};
pub use domain::limits::DEFAULT_MAX_BOOKINGS;
pub use domain::phone_chat_made::PhoneChatOrder;
pub use domain::phone_chat_received::DEFAULT_REINVITE_REASON;
pub use domain::phone_chat_store::{DeleteOutcome, PhoneChatRequirements, PhoneChatSettings};
pub use domain::refusal::Refusal;
pub use domain::state::{Latest, SandboxState, Snapshot};
pub use http::{ApiError, MAX_BODY_BYTES, Negotiated, ServerConfig, router, router_with};
pub use server::{SHUTDOWN_GRACE, Sandbox, SandboxBuilder, serve, serve_with};

/// The default data's client token: user 100001 "ClientUser", every scope.
pub const CLIENT_TOKEN: &str = "sandbox-client-token";
/// The default data's group-manager token: user 100002, whose group holds 100001 and 100003.
pub const MANAGER_TOKEN: &str = "sandbox-manager-token";
/// The default data's token without scopes (user 100001): every operation answers 403.
pub const NOSCOPE_TOKEN: &str = "sandbox-noscope-token";
/// The default data's token with only `account_webcam_bookings` (user 100001).
pub const WEBCAM_ONLY_TOKEN: &str = "sandbox-webcam-only-token";
/// The default data's token of user 100003 "LowBalanceLarry": 5 credits, mobile not verified.
pub const LOW_BALANCE_TOKEN: &str = "sandbox-lowbalance-token";

pub mod limits {
    //! The sandbox's own limits, in one place: string lengths and the number of bookings (the
    //! domain's), and the defaults of the connection timeouts and limit (the HTTP layer's
    //! [`ServerConfig`](crate::ServerConfig)). None of them is a limit of the API; they bound
    //! what a client (or any web page its user visits) can make the sandbox hold or wait for.

    pub use crate::domain::limits::{
        DEFAULT_MAX_BOOKINGS, MAX_OTHER_STRING_BYTES, MAX_STRING_BYTES, max_string_bytes,
        oversized_string,
    };
    pub use crate::http::config::{
        DEFAULT_BODY_TIMEOUT, DEFAULT_HEADER_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
    };
}
