//! Accounts: every actor, local or remote, of every kind (people, organisations,
//! groups, hashtag feeds, the instance), their keys and profile pictures, and a
//! person's preferences.

pub mod account;
pub mod keys;
pub mod picture;
pub mod preferences;
pub mod remote;
