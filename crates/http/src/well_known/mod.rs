//! `/.well-known/...`: where other servers and apps start.

pub mod host_meta;
pub mod nodeinfo;
pub mod oauth;
pub mod webfinger;
