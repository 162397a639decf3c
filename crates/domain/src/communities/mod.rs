//! Where people meet: groups (open and closed), hashtag feeds shared between
//! instances, and the challenges featured under a hashtag.

pub mod challenge;
pub mod group;
pub mod hashtag_feed;
