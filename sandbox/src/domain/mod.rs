//! The domain: the API's rules and the sandbox's state, in plain Rust types. It knows nothing
//! of HTTP, axum, hyper or sockets (it imports none of them), so each rule can be tested
//! directly; the HTTP layer above translates requests into calls of
//! [`SandboxState`](state::SandboxState) and [`Refusal`](refusal::Refusal)s into status codes.
//!
//! From the bottom up (each module imports only those listed before it):
//!
//! - [`refusal`], [`clock`], [`limits`], [`faults`]: why a request is refused; the
//!   injectable clock; the limits on what the state holds; the fault rules and which request
//!   they fire on (carrying an effect out is the HTTP layer's).
//! - [`lifecycle`]: the status state machine and the [`Party`](lifecycle::Party) that may
//!   make each transition.
//! - [`behaviour`]: what a performer of the data file does by themselves.
//! - [`data`]: the data file (users, tokens, groups). [`auth`]: which user and scopes a token
//!   stands for. [`rules`]: the documented rules the checks of the SDK do not cover.
//! - [`booking`]: the records the state keeps, and how they render as the API's types.
//! - [`state`]: the shared store (data, clock, bookings behind one lock, the plan of
//!   performers' own actions) and the one place a booking's status changes.
//! - [`phone_chat_store`]: phone chat's deletions and settings (plain data kept in `state`).
//! - [`webcam`], [`phone_chat`], [`phone_chat_made`], [`phone_chat_received`], [`users`]: each resource's operations, as methods of
//!   [`SandboxState`](state::SandboxState). A new operation is a method in its resource's module (a new resource,
//!   a new module), not a change to `state`.

pub mod auth;
pub(crate) mod behaviour;
pub(crate) mod booking;
pub(crate) mod clock;
pub(crate) mod data;
pub mod faults;
pub(crate) mod lifecycle;
pub mod limits;
pub(crate) mod phone_chat;
pub(crate) mod phone_chat_made;
pub(crate) mod phone_chat_received;
pub mod phone_chat_store;
#[cfg(test)]
mod phone_chat_tests;
pub(crate) mod refusal;
pub mod rules;
pub(crate) mod state;
pub(crate) mod users;
pub(crate) mod webcam;
