//! Accounts: every actor, local or remote, of every kind (people, organisations,
//! groups, hashtag feeds, the instance), their keys and profile pictures, and a
//! person's preferences, the deletion of a local account, moving a local account
//! away (its aliases, the move, and what a moved account may still do), and the
//! export and import of a person's data as CSV files.

pub mod account;
pub mod archive;
pub mod deletion;
pub mod export;
pub mod import;
pub mod keys;
pub mod moving;
pub mod picture;
pub mod preferences;
pub mod remote;
