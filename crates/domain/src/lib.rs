//! What Staffroom *is*: accounts, users, posts and invites, and the rules over them.
//!
//! Every use case is a plain function over a database connection that returns domain
//! types or a typed [`Error`]. This crate knows nothing of HTTP, ActivityPub or OAuth
//! (JSON appears only as the storage format of profile fields); visibility and
//! membership rules live here, once, and every other crate asks them.

pub mod access;
pub mod accounts;
pub mod channel;
pub mod communities;
pub mod conversations;
pub mod database;
pub mod delivery;
pub mod directory;
mod entities;
mod error;
pub mod filters;
pub mod graph;
pub mod html;
pub mod id;
pub mod id_node;
pub mod lists;
pub mod media;
pub mod moderation;
pub mod notifications;
pub mod page;
pub mod posts;
pub mod stats;
pub mod timelines;
pub mod visibility;

pub use database::Database;
pub use error::{Error, Result};
