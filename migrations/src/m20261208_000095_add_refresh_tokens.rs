//! Refresh tokens: each token issued to an app for a person comes with a second
//! secret, kept only as its SHA-256 hash, that the app trades for a new pair
//! (`grant_type=refresh_token`), which revokes the old one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The index that finds a token by its refresh token.
const INDEX: &str = "oauth_tokens_refresh_token_hash_key";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OauthTokens::Table)
                    .add_column(string_null(OauthTokens::RefreshTokenHash))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(OauthTokens::Table)
                    .col(OauthTokens::RefreshTokenHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(OauthTokens::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OauthTokens::Table)
                    .drop_column(OauthTokens::RefreshTokenHash)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum OauthTokens {
    Table,
    RefreshTokenHash,
}
