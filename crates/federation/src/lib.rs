//! How Staffroom speaks to other servers: the URLs of local actors and objects, and
//! the discovery protocols (WebFinger, host-meta, NodeInfo) that lead other servers and
//! apps to them. ActivityPub documents of local actors and posts (`protocol/` holds the wire
//! types, `objects/` the mapping from domain types).
//!
//! This crate knows nothing of axum routes, status codes or the database: it maps
//! domain types to wire formats and back.

pub mod activities;
pub mod archive;
pub mod client;
pub mod config;
pub mod context;
pub mod deletion;
pub mod error;
pub mod events;
pub mod group_announces;
pub mod groups;
pub mod guard;
pub mod hashtag_feeds;
pub mod host_meta;
pub mod import;
pub mod inbox;
pub mod interactions;
pub mod moving;
pub mod nodeinfo;
pub mod objects;
pub mod participation;
pub mod policy;
pub mod polls;
pub mod protocol;
pub mod publish;
pub mod push;
pub mod relationships;
pub mod remote_media;
pub mod reports;
pub mod resolve;
pub mod sanitize;
pub mod scheduled;
pub mod send;
pub mod signed_fetch;
pub mod suspension;
pub mod urls;
pub mod webfinger;
pub mod worker;

pub use config::{Federation, FederationSettings, setup};
pub use error::{Error, ErrorKind};
pub use urls::LocalUrls;

/// The software name other servers see in NodeInfo and the `User-Agent`.
pub const SOFTWARE_NAME: &str = "staffroom";
/// The version of this build.
pub const SOFTWARE_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Where the source code of Staffroom is published. An instance running a modified
/// version must point at its own source instead (AGPL-3.0), which its configuration
/// allows.
pub const DEFAULT_SOURCE_URL: &str = "https://github.com/staffroom-social/staffroom";

/// A time as ActivityPub documents write it: `2026-01-02T03:04:05Z`.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
