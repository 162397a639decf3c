//! Accounts: every actor, local or remote, of every kind (people, organisations,
//! groups, hashtag feeds, the instance), their keys and profile pictures, and a
//! person's preferences, and the deletion of a local account.

pub mod account;
pub mod deletion;
pub mod keys;
pub mod picture;
pub mod preferences;
pub mod remote;
