//! The domain.

pub mod auth;
pub(crate) mod behaviour;
pub(crate) mod booking;
pub(crate) mod clock;
pub(crate) mod data;
pub mod faults;
pub(crate) mod lifecycle;
pub mod limits;
pub(crate) mod phone_chat;
pub(crate) mod refusal;
pub mod rules;
pub(crate) mod state;
pub(crate) mod users;
pub(crate) mod webcam;
