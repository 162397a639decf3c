//! Staffroom's own API, under `/api/staffroom/v1/`: what Mastodon's API has no
//! words for (hashtag feeds between instances, challenges, groups, ...).

pub mod challenges;
pub mod groups;
pub mod hashtag_feeds;
