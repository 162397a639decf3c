//! Moving an account away: the aliases a local account lists (the ActivityPub
//! ids of the accounts it is moving from, served as `alsoKnownAs`), and when a
//! local account moved (`accounts.moved_at`, beside the `moved_to_id` that
//! already records where remote accounts went), so that a second move waits
//! out its cooldown.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountAliases::Table)
                    .col(big_integer(AccountAliases::Id).primary_key())
                    .col(big_integer(AccountAliases::AccountId))
                    .col(string_len(AccountAliases::Uri, 2048))
                    .col(timestamp_with_time_zone(AccountAliases::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountAliases::Table, AccountAliases::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_account_aliases_account_uri")
                    .table(AccountAliases::Table)
                    .col(AccountAliases::AccountId)
                    .col(AccountAliases::Uri)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(timestamp_with_time_zone_null(Accounts::MovedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .drop_column(Accounts::MovedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(AccountAliases::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountAliases {
    Table,
    Id,
    AccountId,
    Uri,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    MovedAt,
}
