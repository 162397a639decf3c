//! Whether a person's posts are marked sensitive when they do not say
//! (Mastodon's `source[sensitive]`, `posting:default:sensitive`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Preferences::Table)
                    .add_column(boolean(Preferences::DefaultSensitive).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Preferences::Table)
                    .drop_column(Preferences::DefaultSensitive)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Preferences {
    Table,
    DefaultSensitive,
}
