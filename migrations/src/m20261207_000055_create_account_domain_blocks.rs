//! Domains a person blocks for themself (Mastodon's `/api/v1/domain_blocks` and
//! `blocked_domains.csv`): the posts of that server's accounts are left out of
//! their timelines. Not the instance's domain rules, which staff set for everyone.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountDomainBlocks::Table)
                    .col(big_integer(AccountDomainBlocks::Id).primary_key())
                    .col(big_integer(AccountDomainBlocks::AccountId))
                    // Lower case, as `accounts.domain` is stored.
                    .col(string_len(AccountDomainBlocks::Domain, 255))
                    .col(timestamp_with_time_zone(AccountDomainBlocks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountDomainBlocks::Table, AccountDomainBlocks::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_account_domain_blocks_account_domain")
                    .table(AccountDomainBlocks::Table)
                    .col(AccountDomainBlocks::AccountId)
                    .col(AccountDomainBlocks::Domain)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountDomainBlocks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountDomainBlocks {
    Table,
    Id,
    AccountId,
    Domain,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
