//! OAuth 2: the apps people sign in with, and the access tokens they hold (stored as
//! hashes: a copy of the database gives nobody a usable token).

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
                    .table(OauthApps::Table)
                    .col(big_integer(OauthApps::Id).primary_key())
                    .col(string_len(OauthApps::Name, 200))
                    .col(string_len_null(OauthApps::Website, 2048))
                    // One URI a line.
                    .col(text(OauthApps::RedirectUris))
                    .col(string_len(OauthApps::Scopes, 1000))
                    .col(string_len_uniq(OauthApps::ClientId, 64))
                    .col(string_len(OauthApps::ClientSecret, 64))
                    .col(timestamp_with_time_zone(OauthApps::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OauthTokens::Table)
                    .col(big_integer(OauthTokens::Id).primary_key())
                    .col(big_integer(OauthTokens::AppId))
                    // Null for an app's own token (client credentials).
                    .col(big_integer_null(OauthTokens::AccountId))
                    // SHA-256 of the token, hex.
                    .col(string_len_uniq(OauthTokens::TokenHash, 64))
                    .col(string_len(OauthTokens::Scopes, 1000))
                    .col(timestamp_with_time_zone(OauthTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(OauthTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("oauth_tokens_app_id_fkey")
                            .from(OauthTokens::Table, OauthTokens::AppId)
                            .to(OauthApps::Table, OauthApps::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("oauth_tokens_account_id_fkey")
                            .from(OauthTokens::Table, OauthTokens::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OauthTokens::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OauthApps::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OauthApps {
    Table,
    Id,
    Name,
    Website,
    RedirectUris,
    Scopes,
    ClientId,
    ClientSecret,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OauthTokens {
    Table,
    Id,
    AppId,
    AccountId,
    TokenHash,
    Scopes,
    CreatedAt,
    RevokedAt,
}
