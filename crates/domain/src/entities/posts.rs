//! The `posts` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub account_id: i64,
    pub kind: String,
    pub uri: Option<String>,
    pub local: bool,
    pub visibility: String,
    pub content: String,
    pub source: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub in_reply_to_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub edited_at: Option<DateTimeUtc>,
    pub url: Option<String>,
    pub in_reply_to_uri: Option<String>,
    pub reblog_of_id: Option<i64>,
    pub local_only: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::accounts::Entity",
        from = "Column::AccountId",
        to = "super::accounts::Column::Id"
    )]
    Account,
}

impl Related<super::accounts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
