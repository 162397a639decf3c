//! The `accounts` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub kind: String,
    pub username: String,
    pub domain: Option<String>,
    #[sea_orm(unique)]
    pub acct: String,
    pub display_name: String,
    pub note: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub uri: Option<String>,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub inbox_url: Option<String>,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub url: Option<String>,
    pub fetched_at: Option<DateTimeUtc>,
    /// Profile fields, a JSON array of [`crate::account::ProfileField`].
    pub fields: String,
    /// A local account's avatar and header: files of the media store.
    pub avatar_file: Option<String>,
    pub header_file: Option<String>,
    /// A remote account's avatar and header, as its actor document gives them.
    pub avatar_remote_url: Option<String>,
    pub header_remote_url: Option<String>,
    /// When this instance's copy of a remote account's avatar and header (then in
    /// `avatar_file` and `header_file`) was made (see `media::remote_cache`).
    pub avatar_cached_at: Option<DateTimeUtc>,
    pub header_cached_at: Option<DateTimeUtc>,
    /// The account this one moved to (a remote account's `Move`, or a local
    /// account's own move).
    pub moved_to_id: Option<i64>,
    /// When a local account moved away (see `accounts::moving`).
    pub moved_at: Option<DateTimeUtc>,
    /// When a moderator silenced the account (see `moderation::silence`).
    pub silenced_at: Option<DateTimeUtc>,
    /// When the local account was deleted: the row is then a tombstone that
    /// keeps the username taken (see `accounts::deletion`).
    pub deleted_at: Option<DateTimeUtc>,
    /// When the account was suspended (see `moderation::local_suspension`): a
    /// local one by a moderator, a remote one by its own server.
    pub suspended_at: Option<DateTimeUtc>,
    /// What the moderator who suspended a local account said.
    pub suspension_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_one = "super::users::Entity")]
    User,
    #[sea_orm(has_many = "super::posts::Entity")]
    Posts,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl Related<super::posts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Posts.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
