//! Posts: what they are, how they are written, edited and deleted, their text,
//! hashtags, threads, edit history, favourites, boosts, bookmarks, pins, polls and scheduled posts, and what
//! a page of them shows.

pub mod article;
pub mod bookmark;
pub mod calendar;
pub mod compose;
pub mod details;
pub mod edit_history;
pub mod event;
pub mod featured_tag;
pub mod interaction;
pub mod pin;
pub mod podcast;
pub mod poll;
pub mod post;
pub mod scheduled;
pub mod search;
pub mod tag;
pub mod thread;
pub mod write;
