//! Archives of a person's data (`/settings/export`, "Request your archive"): one
//! row per request, built in the background (`claimed_until` is the builder's
//! lease, so a builder that stops leaves it for the next), then a `.zip` file of
//! the media store's private folder until it expires.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountArchives::Table)
                    .col(big_integer(AccountArchives::Id).primary_key())
                    .col(big_integer(AccountArchives::AccountId))
                    // The file's name once built.
                    .col(string_len_null(AccountArchives::File, 80))
                    .col(big_integer_null(AccountArchives::Size))
                    .col(timestamp_with_time_zone(AccountArchives::CreatedAt))
                    .col(timestamp_with_time_zone_null(AccountArchives::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(AccountArchives::FinishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountArchives::Table, AccountArchives::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_account_archives_account_id")
                    .table(AccountArchives::Table)
                    .col(AccountArchives::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_account_archives_finished_at")
                    .table(AccountArchives::Table)
                    .col(AccountArchives::FinishedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountArchives::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountArchives {
    Table,
    Id,
    AccountId,
    File,
    Size,
    CreatedAt,
    ClaimedUntil,
    FinishedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
