//! Signing in through the browser: authorization codes of the OAuth code flow and
//! browser sessions (both kept only as SHA-256 hashes, both expiring), and the
//! reason a person gave when signing up, for the administrator who approves them.

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
                    .table(OauthAuthorizationCodes::Table)
                    .col(big_integer(OauthAuthorizationCodes::Id).primary_key())
                    // SHA-256 of the code, hex.
                    .col(string_len_uniq(OauthAuthorizationCodes::CodeHash, 64))
                    .col(big_integer(OauthAuthorizationCodes::AppId))
                    .col(big_integer(OauthAuthorizationCodes::AccountId))
                    .col(text(OauthAuthorizationCodes::RedirectUri))
                    .col(string_len(OauthAuthorizationCodes::Scopes, 1000))
                    // PKCE (RFC 7636): the challenge and its method, `S256` or `plain`.
                    .col(string_len_null(OauthAuthorizationCodes::CodeChallenge, 128))
                    .col(string_len_null(
                        OauthAuthorizationCodes::CodeChallengeMethod,
                        8,
                    ))
                    .col(timestamp_with_time_zone(OauthAuthorizationCodes::CreatedAt))
                    .col(timestamp_with_time_zone(OauthAuthorizationCodes::ExpiresAt))
                    .col(timestamp_with_time_zone_null(
                        OauthAuthorizationCodes::UsedAt,
                    ))
                    // The token issued for it, revoked if the code is presented again.
                    .col(big_integer_null(OauthAuthorizationCodes::TokenId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("oauth_authorization_codes_app_id_fkey")
                            .from(
                                OauthAuthorizationCodes::Table,
                                OauthAuthorizationCodes::AppId,
                            )
                            .to(OauthApps::Table, OauthApps::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("oauth_authorization_codes_account_id_fkey")
                            .from(
                                OauthAuthorizationCodes::Table,
                                OauthAuthorizationCodes::AccountId,
                            )
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("oauth_authorization_codes_token_id_fkey")
                            .from(
                                OauthAuthorizationCodes::Table,
                                OauthAuthorizationCodes::TokenId,
                            )
                            .to(OauthTokens::Table, OauthTokens::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BrowserSessions::Table)
                    .col(big_integer(BrowserSessions::Id).primary_key())
                    // SHA-256 of the cookie's token, hex.
                    .col(string_len_uniq(BrowserSessions::TokenHash, 64))
                    .col(big_integer(BrowserSessions::AccountId))
                    .col(timestamp_with_time_zone(BrowserSessions::CreatedAt))
                    .col(timestamp_with_time_zone(BrowserSessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("browser_sessions_account_id_fkey")
                            .from(BrowserSessions::Table, BrowserSessions::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(text_null(Users::SignUpReason))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("browser_sessions_expires_at_idx")
                    .table(BrowserSessions::Table)
                    .col(BrowserSessions::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("oauth_authorization_codes_expires_at_idx")
                    .table(OauthAuthorizationCodes::Table)
                    .col(OauthAuthorizationCodes::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::SignUpReason)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(BrowserSessions::Table).to_owned())
            .await?;
        manager
            .drop_table(
                Table::drop()
                    .table(OauthAuthorizationCodes::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    SignUpReason,
}

#[derive(DeriveIden)]
enum OauthApps {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OauthTokens {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OauthAuthorizationCodes {
    Table,
    Id,
    CodeHash,
    AppId,
    AccountId,
    RedirectUri,
    Scopes,
    CodeChallenge,
    CodeChallengeMethod,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    TokenId,
}

#[derive(DeriveIden)]
enum BrowserSessions {
    Table,
    Id,
    TokenHash,
    AccountId,
    CreatedAt,
    ExpiresAt,
}
