//! Deleted posts: the local posts their authors deleted, remembered by id so
//! that a fetch of one is answered `410 Gone` with a `Tombstone` (other servers
//! then drop their copies) rather than `404`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DeletedPosts::Table)
                    .col(big_integer(DeletedPosts::PostId).primary_key())
                    .col(big_integer(DeletedPosts::AccountId))
                    .col(timestamp_with_time_zone(DeletedPosts::DeletedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DeletedPosts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DeletedPosts {
    Table,
    PostId,
    AccountId,
    DeletedAt,
}
