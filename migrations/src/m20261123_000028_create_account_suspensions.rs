//! Remote accounts suspended by the instance's administrators, by their actor id,
//! so that a suspension outlives the account's row (which it removes) and holds
//! when the actor is met again.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountSuspensions::Table)
                    .col(string_len(AccountSuspensions::Uri, 2048).primary_key())
                    .col(string_len(AccountSuspensions::Acct, 320))
                    .col(string_len(AccountSuspensions::Reason, 1000).default(""))
                    .col(timestamp_with_time_zone(AccountSuspensions::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountSuspensions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountSuspensions {
    Table,
    Uri,
    Acct,
    Reason,
    CreatedAt,
}
