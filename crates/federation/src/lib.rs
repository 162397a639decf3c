//! How Staffroom speaks to other servers: the URLs of local actors and objects, and
//! the discovery protocols (WebFinger, host-meta, NodeInfo) that lead other servers and
//! apps to them. ActivityPub itself joins this crate as federation grows.
//!
//! This crate knows nothing of axum routes, status codes or the database: it maps
//! domain types to wire formats and back.

pub mod host_meta;
pub mod nodeinfo;
pub mod urls;
pub mod webfinger;

pub use urls::LocalUrls;

/// The software name other servers see in NodeInfo and the `User-Agent`.
pub const SOFTWARE_NAME: &str = "staffroom";
/// The version of this build.
pub const SOFTWARE_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Where the source code of Staffroom is published. An instance running a modified
/// version must point at its own source instead (AGPL-3.0), which its configuration
/// allows.
pub const DEFAULT_SOURCE_URL: &str = "https://github.com/staffroom-social/staffroom";
