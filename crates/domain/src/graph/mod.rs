//! How accounts stand towards each other: follows and follow requests, blocks,
//! mutes, private notes about accounts, and the relationship an app shows.

pub mod block;
pub mod domain_block;
pub mod follow;
pub mod follow_request;
pub mod mute;
pub mod note;
pub mod relationship;
