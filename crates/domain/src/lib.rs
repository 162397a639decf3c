//! What Staffroom *is*: accounts, users, posts and invites, and the rules over them.
//!
//! Every use case is a plain function over a database connection that returns domain
//! types or a typed [`Error`]. This crate knows nothing of HTTP, ActivityPub or OAuth
//! (JSON appears only as the storage format of profile fields); visibility and
//! membership rules live here, once, and every other crate asks them.

pub mod account;
pub mod authorization_code;
pub mod block;
pub mod bookmark;
pub mod browser_session;
pub mod challenge;
pub mod compose;
pub mod credentials;
pub mod database;
pub mod delivery;
pub mod directory;
pub mod domain_policy;
pub mod edit_history;
mod entities;
mod error;
pub mod follow;
pub mod group;
pub mod hashtag_feed;
pub mod html;
pub mod id;
pub mod interaction;
pub mod invite;
pub mod keys;
pub mod marker;
pub mod media;
pub mod mute;
pub mod notification;
pub mod oauth;
pub mod picture;
pub mod pin;
pub mod post;
pub mod post_details;
pub mod received;
pub mod registration;
pub mod relationship;
pub mod remote;
pub mod report;
pub mod sign_up;
pub mod stats;
pub mod suspension;
pub mod tag;
pub mod timeline;
pub mod user;

pub use database::Database;
pub use error::{Error, Result};
