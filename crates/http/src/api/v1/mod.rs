//! `/api/v1/...`

pub mod accounts;
pub mod admin;
pub mod announcements;
pub mod apps;
pub mod defaults;
pub mod directory;
pub mod follow_requests;
pub mod hidden_accounts;
pub mod instance;
pub mod markers;
pub mod media;
pub mod notifications;
pub mod reports;
pub mod sign_up;
pub mod status_actions;
pub mod statuses;
pub mod streaming;
pub mod tags;
pub mod timelines;
pub mod trends;
