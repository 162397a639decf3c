//! The network addresses each person has signed in from, so that a sign-in from
//! an address never seen before can be told to them by mail. One row per person
//! and address, with the first and the latest sign-in from it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignInAddresses::Table)
                    .col(big_integer(SignInAddresses::AccountId))
                    .col(string_len(SignInAddresses::Address, 64))
                    .col(timestamp_with_time_zone(SignInAddresses::FirstSeenAt))
                    .col(timestamp_with_time_zone(SignInAddresses::LastSeenAt))
                    .primary_key(
                        Index::create()
                            .col(SignInAddresses::AccountId)
                            .col(SignInAddresses::Address),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SignInAddresses::Table, SignInAddresses::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignInAddresses::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SignInAddresses {
    Table,
    AccountId,
    Address,
    FirstSeenAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
