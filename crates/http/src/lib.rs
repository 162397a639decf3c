//! How Staffroom is reached over HTTP: the axum router with the Mastodon client API,
//! the discovery endpoints (WebFinger, host-meta, NodeInfo) and health checks.
//!
//! Handlers are thin: parse, authorise, call a domain use case, render. Only this crate
//! knows routes, status codes and the Mastodon wire format; the Mastodon entities in
//! [`entities`] are built from domain types here.

mod activity_json;
mod api;
mod assets;
mod auth;
mod browser;
pub mod entities;
mod error;
mod form;
#[cfg(test)]
mod fuzz;
mod health;
mod inbox;
pub mod mail;
mod media;
mod metrics;
mod nodeinfo;
mod oauth;
mod pages;
mod pagination;
mod params;
mod path_id;
pub mod rate_limit;
mod router;
mod search;
mod security_headers;
mod signed_fetch;
mod state;
mod tags;
mod users;
mod well_known;

pub use error::ApiError;
pub use router::{router, serve};
pub use state::{AppState, InstanceSettings};

/// The payload of a queued Web Push message, as Mastodon writes it (for the push
/// worker).
pub use api::v1::push::payload as push_payload;
