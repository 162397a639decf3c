//! A person's private note about another account (Mastodon's account notes): one
//! per pair, removed with either account.

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
                    .table(AccountNotes::Table)
                    .col(big_integer(AccountNotes::AccountId))
                    .col(big_integer(AccountNotes::TargetId))
                    .col(text(AccountNotes::Comment))
                    .col(timestamp_with_time_zone(AccountNotes::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(AccountNotes::AccountId)
                            .col(AccountNotes::TargetId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("account_notes_account_id_fkey")
                            .from(AccountNotes::Table, AccountNotes::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("account_notes_target_id_fkey")
                            .from(AccountNotes::Table, AccountNotes::TargetId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountNotes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountNotes {
    Table,
    AccountId,
    TargetId,
    Comment,
    UpdatedAt,
}
