//! Accounts: every actor, local or remote, of every kind (people, organisations,
//! groups, hashtag feeds, the instance), their keys and profile pictures.

pub mod account;
pub mod keys;
pub mod picture;
pub mod remote;
