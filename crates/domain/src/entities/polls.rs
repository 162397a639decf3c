//! The `polls` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "polls")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub post_id: i64,
    pub expires_at: Option<DateTimeUtc>,
    pub multiple: bool,
    pub hide_totals: bool,
    /// A JSON array of `{"title": ..., "votes": n}`, in order.
    pub options: String,
    pub votes_count: i64,
    pub voters_count: Option<i64>,
    pub ended_told_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
