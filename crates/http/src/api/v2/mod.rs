//! `/api/v2/...`

pub mod instance;
pub mod media;
pub mod search;
