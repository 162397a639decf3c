//! Moderation between servers: `Block` (an account, or a group, blocks another)
//! and `Flag` (a report sent to the moderators of the reported account's
//! server).

pub mod block;
pub mod flag;
