//! Activities as they travel, one struct per type, each in its own file: what
//! Staffroom sends is the type it parses, so the two cannot drift apart. What
//! each one does, sent or received (`new`, `send`, `verify`, `receive`), is in
//! `crate::activities`.
//!
//! Other servers shape activities more loosely than Staffroom does, so what is
//! read stays lenient: addressing is read as ids whatever its shape, and an
//! `object` that others may name or embed is a type parameter, plain JSON by
//! default (when received) and typed when sent.

pub mod accept_or_reject;
pub mod add_or_remove;
pub mod announce;
pub mod block;
pub mod create;
pub mod delete;
pub mod flag;
pub mod follow;
pub mod join_or_leave;
pub mod like;
pub mod moves;
pub mod undo;
pub mod update;
