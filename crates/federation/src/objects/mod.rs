//! Domain types mapped to ActivityStreams documents.

pub mod actor;
pub mod directory;
pub mod featured;
pub mod follows;
pub mod media;
pub mod note;
pub mod outbox;
pub mod person;
pub mod post;
