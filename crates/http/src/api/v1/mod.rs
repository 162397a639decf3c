//! `/api/v1/...`

pub mod instance;
