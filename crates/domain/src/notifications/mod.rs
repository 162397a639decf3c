//! Notifications: the rows people read, and who is told of what.

pub mod notification;
pub mod push;
pub mod recipients;
