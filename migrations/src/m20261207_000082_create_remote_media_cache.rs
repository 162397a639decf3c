//! Remote media through this instance's own cache: when a copy of a remote
//! attachment, avatar or header was stored (so that it can be pruned after a
//! while), and the persistent queue of copies still to fetch.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one new column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(MediaAttachments::Table)
                    .add_column(timestamp_with_time_zone_null(MediaAttachments::CachedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(timestamp_with_time_zone_null(Accounts::AvatarCachedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(timestamp_with_time_zone_null(Accounts::HeaderCachedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("media_attachments_cached_at_idx")
                    .table(MediaAttachments::Table)
                    .col(MediaAttachments::CachedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RemoteMediaFetches::Table)
                    .col(big_integer(RemoteMediaFetches::Id).primary_key())
                    .col(string_len(RemoteMediaFetches::Target, 16))
                    .col(big_integer(RemoteMediaFetches::TargetId))
                    .col(integer(RemoteMediaFetches::Attempts).default(0))
                    .col(timestamp_with_time_zone(RemoteMediaFetches::DueAt))
                    .col(timestamp_with_time_zone_null(
                        RemoteMediaFetches::ClaimedUntil,
                    ))
                    .col(timestamp_with_time_zone(RemoteMediaFetches::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("remote_media_fetches_target_idx")
                    .table(RemoteMediaFetches::Table)
                    .col(RemoteMediaFetches::Target)
                    .col(RemoteMediaFetches::TargetId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("remote_media_fetches_due_at_idx")
                    .table(RemoteMediaFetches::Table)
                    .col(RemoteMediaFetches::DueAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RemoteMediaFetches::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("media_attachments_cached_at_idx")
                    .table(MediaAttachments::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MediaAttachments::Table)
                    .drop_column(MediaAttachments::CachedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .drop_column(Accounts::AvatarCachedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .drop_column(Accounts::HeaderCachedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum MediaAttachments {
    Table,
    CachedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    AvatarCachedAt,
    HeaderCachedAt,
}

#[derive(DeriveIden)]
enum RemoteMediaFetches {
    Table,
    Id,
    Target,
    TargetId,
    Attempts,
    DueAt,
    ClaimedUntil,
    CreatedAt,
}
