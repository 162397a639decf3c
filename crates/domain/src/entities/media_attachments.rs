//! The `media_attachments` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "media_attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub account_id: i64,
    pub post_id: Option<i64>,
    pub position: i32,
    pub kind: String,
    pub content_type: String,
    pub description: Option<String>,
    pub focus_x: f64,
    pub focus_y: f64,
    pub file: Option<String>,
    pub thumbnail_file: Option<String>,
    pub size: Option<i64>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub thumbnail_width: Option<i32>,
    pub thumbnail_height: Option<i32>,
    pub blurhash: Option<String>,
    pub remote_url: Option<String>,
    /// How long it plays, in seconds (sound and video).
    pub duration: Option<f64>,
    /// When this instance's copy of a remote attachment (then in `file`) was made.
    pub cached_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
