//! Who may see what, decided once. Every read of posts (a status, a thread, a
//! timeline, a stream, a page, an ActivityPub fetch, a delivery) asks here.
//!
//! - Public and unlisted posts: anyone but the people the author blocks.
//! - Followers-only posts: the author and their accepted followers.
//! - Direct posts: the author, the accounts they mention, and the members of a
//!   closed group they are written to, while they are members.
//! - Blocks and mutes keep a reader's timelines and notifications clear of an
//!   account in either direction.
//! - Suspended accounts: nobody but the account itself sees anything of them
//!   ([`suspended`]).
//! - Local-only posts (and replies to and boosts of them): only the accounts of
//!   this instance, within the post's audience; never sent to nor fetched by
//!   other servers ([`post::federates`]).
//! - A comment an article's author hid: only its own author and the article's
//!   author see it in the article's thread ([`comments`]).

pub mod comments;
pub mod group;
pub mod post;
pub mod suspended;
pub mod timeline;
