//! How accounts stand towards each other: follows and follow requests, blocks,
//! mutes, private notes about accounts, endorsements, the relationship an app
//! shows, familiar followers, and the accounts suggested to follow.

pub mod block;
pub mod domain_block;
pub mod endorsement;
pub mod familiar;
pub mod follow;
pub mod follow_request;
pub mod mute;
pub mod note;
pub mod relationship;
pub mod suggestion;
