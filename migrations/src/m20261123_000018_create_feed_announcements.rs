//! Hashtag feeds relay posts between instances: each local sender (a feed actor
//! announcing to its subscribers, or the instance actor passing a post on to the
//! feeds it subscribes to) sends a post at most once, remembered here.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_accounts::Accounts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FeedAnnouncements::Table)
                    .col(big_integer(FeedAnnouncements::SenderId))
                    .col(big_integer(FeedAnnouncements::PostId))
                    .col(timestamp_with_time_zone(FeedAnnouncements::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(FeedAnnouncements::SenderId)
                            .col(FeedAnnouncements::PostId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("feed_announcements_sender_id_fkey")
                            .from(FeedAnnouncements::Table, FeedAnnouncements::SenderId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("feed_announcements_post_id_fkey")
                            .from(FeedAnnouncements::Table, FeedAnnouncements::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("feed_announcements_post_id_idx")
                    .table(FeedAnnouncements::Table)
                    .col(FeedAnnouncements::PostId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FeedAnnouncements::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum FeedAnnouncements {
    Table,
    SenderId,
    PostId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
}
