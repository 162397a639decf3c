//! Accounts: every actor this instance knows, local or remote, of every kind (people,
//! organisations, groups, hashtag feeds, the instance actor).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(big_integer(Accounts::Id).primary_key())
                    .col(string_len(Accounts::Kind, 16))
                    .col(string_len(Accounts::Username, 64))
                    // Null for accounts of this instance.
                    .col(string_len_null(Accounts::Domain, 255))
                    // `username` for local accounts, `username@domain` for remote ones,
                    // lower-cased: the unique key that makes names case-insensitive.
                    .col(string_len_uniq(Accounts::Acct, 320))
                    .col(string_len(Accounts::DisplayName, 200).default(""))
                    .col(text(Accounts::Note).default(""))
                    .col(boolean(Accounts::Locked).default(false))
                    .col(boolean(Accounts::Bot).default(false))
                    .col(boolean(Accounts::Discoverable).default(true))
                    // The ActivityPub id of a remote actor; local ids are derived from
                    // the instance's domain.
                    .col(string_len_null(Accounts::Uri, 2048).unique_key())
                    .col(text(Accounts::PublicKeyPem))
                    // Only accounts of this instance hold their private key.
                    .col(text_null(Accounts::PrivateKeyPem))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone(Accounts::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("accounts_domain_idx")
                    .table(Accounts::Table)
                    .col(Accounts::Domain)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Accounts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Accounts {
    Table,
    Id,
    Kind,
    Username,
    Domain,
    Acct,
    DisplayName,
    Note,
    Locked,
    Bot,
    Discoverable,
    Uri,
    PublicKeyPem,
    PrivateKeyPem,
    CreatedAt,
    UpdatedAt,
}
