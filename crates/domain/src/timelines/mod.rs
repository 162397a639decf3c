//! Timelines: pages of posts, newest first (home, public, a hashtag's, an
//! account's, a group's, a list's), and where each reader stopped reading. Who may see which post is
//! asked of [`crate::visibility`].

pub mod account;
pub mod group;
pub mod home;
pub(crate) mod home_feed;
pub mod list;
pub mod marker;
pub mod public;
pub mod removed;
pub mod trending;
mod walk;
