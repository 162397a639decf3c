//! The sea-orm entities: rows as the database stores them. Only this crate sees them;
//! use cases convert them into domain types.

pub(crate) mod accounts;
pub(crate) mod invites;
pub(crate) mod posts;
pub(crate) mod users;
