//! What a person sees of their signed-in browsers and apps: a session's user agent,
//! address and last use, and an app token's last use.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            string_len_null(BrowserSessions::UserAgent, 512),
            string_len_null(BrowserSessions::Address, 64),
            timestamp_with_time_zone_null(BrowserSessions::LastUsedAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(BrowserSessions::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(OauthTokens::Table)
                    .add_column(timestamp_with_time_zone_null(OauthTokens::LastUsedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OauthTokens::Table)
                    .drop_column(OauthTokens::LastUsedAt)
                    .to_owned(),
            )
            .await?;
        for column in [
            BrowserSessions::LastUsedAt,
            BrowserSessions::Address,
            BrowserSessions::UserAgent,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(BrowserSessions::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum BrowserSessions {
    Table,
    UserAgent,
    Address,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum OauthTokens {
    Table,
    LastUsedAt,
}
