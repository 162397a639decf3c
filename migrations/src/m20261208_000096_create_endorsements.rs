//! Endorsements (Mastodon's account pins): the accounts a person features on
//! their profile, among those they follow; removed with either account.

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
                    .table(AccountEndorsements::Table)
                    .col(big_integer(AccountEndorsements::Id).primary_key())
                    .col(big_integer(AccountEndorsements::AccountId))
                    .col(big_integer(AccountEndorsements::TargetId))
                    .col(timestamp_with_time_zone(AccountEndorsements::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("account_endorsements_account_id_fkey")
                            .from(AccountEndorsements::Table, AccountEndorsements::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("account_endorsements_target_id_fkey")
                            .from(AccountEndorsements::Table, AccountEndorsements::TargetId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("account_endorsements_account_id_target_id_key")
                    .table(AccountEndorsements::Table)
                    .col(AccountEndorsements::AccountId)
                    .col(AccountEndorsements::TargetId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("account_endorsements_target_id_idx")
                    .table(AccountEndorsements::Table)
                    .col(AccountEndorsements::TargetId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountEndorsements::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountEndorsements {
    Table,
    Id,
    AccountId,
    TargetId,
    CreatedAt,
}
