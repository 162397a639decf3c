//! Edit history: each earlier version of a post, kept when the post changes, so that
//! apps can show "edited" with what it said before.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PostEdits::Table)
                    .col(big_integer(PostEdits::Id).primary_key())
                    .col(big_integer(PostEdits::PostId))
                    .col(text(PostEdits::Content))
                    .col(text_null(PostEdits::Source))
                    .col(text(PostEdits::SpoilerText))
                    .col(boolean(PostEdits::Sensitive))
                    // When this version was written (the post's creation or an edit).
                    .col(timestamp_with_time_zone(PostEdits::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("post_edits_post_id_fkey")
                            .from(PostEdits::Table, PostEdits::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("post_edits_post_id_id_idx")
                    .table(PostEdits::Table)
                    .col(PostEdits::PostId)
                    .col(PostEdits::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PostEdits::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PostEdits {
    Table,
    Id,
    PostId,
    Content,
    Source,
    SpoilerText,
    Sensitive,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
}
