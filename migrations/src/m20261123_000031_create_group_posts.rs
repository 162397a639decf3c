//! Posts written to a closed group: a direct post by a member that names the
//! group reaches the group's members, and nobody else.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GroupPosts::Table)
                    .col(big_integer(GroupPosts::GroupId))
                    .col(big_integer(GroupPosts::PostId))
                    .col(timestamp_with_time_zone(GroupPosts::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(GroupPosts::GroupId)
                            .col(GroupPosts::PostId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("group_posts_group_id_fkey")
                            .from(GroupPosts::Table, GroupPosts::GroupId)
                            .to(Groups::Table, Groups::AccountId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("group_posts_post_id_fkey")
                            .from(GroupPosts::Table, GroupPosts::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("group_posts_post_id_idx")
                    .table(GroupPosts::Table)
                    .col(GroupPosts::PostId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GroupPosts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum GroupPosts {
    Table,
    GroupId,
    PostId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    AccountId,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
}
