//! The `articles` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "articles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub post_id: i64,
    pub title: String,
    pub summary: String,
    /// The Markdown the author wrote (this instance's articles only).
    pub markdown: Option<String>,
    /// Sanitised HTML.
    pub body_html: String,
    pub cover_media_id: Option<i64>,
    /// The cover's address, for another server's article.
    pub cover_url: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
