//! Filters: a person's named sets of keywords and posts that hide, or warn of, the
//! posts they match in the places they name, until they expire. `filter.rs` keeps
//! them; `matching.rs` applies them to pages of posts.

pub mod filter;
pub mod matching;
