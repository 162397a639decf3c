//! Lists: a person's named sets of accounts they follow, each with its own
//! timeline, and the accounts in them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Lists::Table)
                    .col(big_integer(Lists::Id).primary_key())
                    .col(big_integer(Lists::AccountId))
                    .col(string_len(Lists::Title, 255))
                    // `followed`, `list` or `none`: which replies the list shows.
                    .col(string(Lists::RepliesPolicy))
                    // Whether its members' posts are left out of the owner's home.
                    .col(boolean(Lists::Exclusive))
                    .col(timestamp_with_time_zone(Lists::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Lists::Table, Lists::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lists_account_id")
                    .table(Lists::Table)
                    .col(Lists::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ListAccounts::Table)
                    .col(big_integer(ListAccounts::Id).primary_key())
                    .col(big_integer(ListAccounts::ListId))
                    .col(big_integer(ListAccounts::AccountId))
                    .col(timestamp_with_time_zone(ListAccounts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ListAccounts::Table, ListAccounts::ListId)
                            .to(Lists::Table, Lists::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ListAccounts::Table, ListAccounts::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_list_accounts_list_account")
                    .table(ListAccounts::Table)
                    .col(ListAccounts::ListId)
                    .col(ListAccounts::AccountId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_list_accounts_account_id")
                    .table(ListAccounts::Table)
                    .col(ListAccounts::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ListAccounts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Lists::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Lists {
    Table,
    Id,
    AccountId,
    Title,
    RepliesPolicy,
    Exclusive,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ListAccounts {
    Table,
    Id,
    ListId,
    AccountId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
