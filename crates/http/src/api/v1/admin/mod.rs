//! `/api/v1/admin/...`: what moderators and administrators use.

pub mod reports;
