//! `/api/v1/...`

pub mod accounts;
pub mod apps;
pub mod defaults;
pub mod instance;
pub mod media;
pub mod statuses;
pub mod timelines;
