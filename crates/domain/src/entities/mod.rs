//! The sea-orm entities: rows as the database stores them. Only this crate sees them;
//! use cases convert them into domain types.

pub(crate) mod accounts;
pub(crate) mod blocks;
pub(crate) mod bookmarks;
pub(crate) mod browser_sessions;
pub(crate) mod deliveries;
pub(crate) mod domain_policies;
pub(crate) mod favourites;
pub(crate) mod follows;
pub(crate) mod idempotency_keys;
pub(crate) mod instances;
pub(crate) mod invites;
pub(crate) mod media_attachments;
pub(crate) mod mentions;
pub(crate) mod mutes;
pub(crate) mod notifications;
pub(crate) mod oauth_apps;
pub(crate) mod oauth_authorization_codes;
pub(crate) mod oauth_tokens;
pub(crate) mod outgoing_activities;
pub(crate) mod post_edits;
pub(crate) mod post_tags;
pub(crate) mod posts;
pub(crate) mod received_activities;
pub(crate) mod tag_follows;
pub(crate) mod tags;
pub(crate) mod users;
