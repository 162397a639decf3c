//! Lists: a person's named sets of accounts they follow, each read as its own
//! timeline ([`crate::timelines::list`]), and who is in them.

pub mod list;
pub mod member;
