//! A person's preferences: what their posts are by default (who sees them, their
//! language). A person without a row has the defaults.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Preferences::Table)
                    .col(big_integer(Preferences::AccountId).primary_key())
                    .col(string(Preferences::DefaultVisibility))
                    .col(string_null(Preferences::DefaultLanguage))
                    .col(timestamp_with_time_zone(Preferences::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Preferences::Table, Preferences::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Preferences::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Preferences {
    Table,
    AccountId,
    DefaultVisibility,
    DefaultLanguage,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
