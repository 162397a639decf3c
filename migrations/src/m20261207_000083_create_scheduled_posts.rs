//! Posts written to be published later (`scheduled_posts`): what the author
//! asked for, kept as JSON until its time, when it is published as any post is.
//! `claimed_at` is set by the process that publishes it, so that two processes
//! never publish the same one; the index finds those due. The uploads a scheduled
//! post will carry are held for it (`scheduled_post_media`), so that the upkeep
//! that removes unused uploads leaves them alone and no other post takes them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ScheduledPosts::Table)
                    .col(big_integer(ScheduledPosts::Id).primary_key())
                    .col(big_integer(ScheduledPosts::AccountId))
                    .col(timestamp_with_time_zone(ScheduledPosts::ScheduledAt))
                    .col(text(ScheduledPosts::Params))
                    .col(timestamp_with_time_zone_null(ScheduledPosts::ClaimedAt))
                    .col(timestamp_with_time_zone(ScheduledPosts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("scheduled_posts_account_id_fkey")
                            .from(ScheduledPosts::Table, ScheduledPosts::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("scheduled_posts_scheduled_at_idx")
                    .table(ScheduledPosts::Table)
                    .col(ScheduledPosts::ScheduledAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("scheduled_posts_account_id_idx")
                    .table(ScheduledPosts::Table)
                    .col(ScheduledPosts::AccountId)
                    .col(ScheduledPosts::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ScheduledPostMedia::Table)
                    .col(big_integer(ScheduledPostMedia::MediaId).primary_key())
                    .col(big_integer(ScheduledPostMedia::ScheduledPostId))
                    .col(integer(ScheduledPostMedia::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .name("scheduled_post_media_scheduled_post_id_fkey")
                            .from(
                                ScheduledPostMedia::Table,
                                ScheduledPostMedia::ScheduledPostId,
                            )
                            .to(ScheduledPosts::Table, ScheduledPosts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("scheduled_post_media_media_id_fkey")
                            .from(ScheduledPostMedia::Table, ScheduledPostMedia::MediaId)
                            .to(MediaAttachments::Table, MediaAttachments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("scheduled_post_media_scheduled_post_id_idx")
                    .table(ScheduledPostMedia::Table)
                    .col(ScheduledPostMedia::ScheduledPostId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ScheduledPostMedia::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ScheduledPosts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ScheduledPosts {
    Table,
    Id,
    AccountId,
    ScheduledAt,
    Params,
    ClaimedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ScheduledPostMedia {
    Table,
    MediaId,
    ScheduledPostId,
    Position,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MediaAttachments {
    Table,
    Id,
}
