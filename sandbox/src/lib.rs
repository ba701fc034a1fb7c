#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
mod behaviour;
mod booking;
mod clock;
mod data;
pub mod faults;
mod http;
pub mod limits;
mod refusal;
pub mod rules;
mod server;
mod state;

pub use behaviour::Behaviour;
pub use booking::Transition;
pub use clock::Clock;
pub use data::{
    DEFAULT_DATA_JSON, DataError, Feedback, Group, PhoneChatProfile, SandboxData, TokenGrant, User,
    WebcamProfile,
};
pub use faults::{Effect, FaultError, FaultRule, Faults, FiredRule};
pub use http::{ApiError, Negotiated, router, router_with};
pub use limits::DEFAULT_MAX_BOOKINGS;
pub use refusal::Refusal;
pub use server::{SHUTDOWN_GRACE, Sandbox, SandboxBuilder, ServerConfig, serve, serve_with};
pub use state::{Latest, SandboxState, Snapshot};

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
