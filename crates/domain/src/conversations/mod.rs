//! Conversations: the threads of direct posts a local person is in, kept per person
//! as posts are stored, read, marked read and put away.

pub mod conversation;
