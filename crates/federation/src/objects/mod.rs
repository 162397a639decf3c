//! Domain types mapped to ActivityStreams documents.

pub mod actor;
pub mod note;
pub mod outbox;
