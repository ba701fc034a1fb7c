//! HTTP-level tests of the sandbox: each test starts its own sandbox on 127.0.0.1:0 and shuts
//! it down. One test binary (modules below) keeps link time down.

mod auth;
mod behaviours;
mod common;
mod concurrency;
mod cross_site;
mod declared_statuses;
mod docs_replay;
mod faults;
mod hostile;
mod lifecycle;
mod load;
mod negotiation;
mod page;
mod phonechat;
mod rules;
mod samples;
mod slow_clients;
mod waiters;
mod webcam;
