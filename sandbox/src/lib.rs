#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod domain;
mod http;
mod server;

pub use domain::{auth, faults, limits, rules};

pub use domain::behaviour::Behaviour;
pub use domain::booking::Transition;
pub use domain::clock::Clock;
pub use domain::data::{
    DEFAULT_DATA_JSON, DataError, Feedback, Group, PhoneChatProfile, SandboxData, TokenGrant, User,
    WebcamProfile,
};
pub use domain::faults::{Effect, FaultError, FaultRule, Faults, FiredRule};
pub use domain::limits::DEFAULT_MAX_BOOKINGS;
pub use domain::refusal::Refusal;
pub use domain::state::{Latest, SandboxState, Snapshot};
pub use http::{ApiError, Negotiated, router, router_with};
pub use server::{SHUTDOWN_GRACE, Sandbox, SandboxBuilder, ServerConfig, serve, serve_with};

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

/// The largest request body accepted; larger ones get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
