//! Profile pictures: a local account's avatar and header are files of the media
//! store; a remote account's are the URLs its actor document gives.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns added, one a statement: SQLite adds one at a time.
const COLUMNS: [Accounts; 4] = [
    Accounts::AvatarFile,
    Accounts::HeaderFile,
    Accounts::AvatarRemoteUrl,
    Accounts::HeaderRemoteUrl,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .add_column(string_len_null(column, 2048))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Accounts {
    Table,
    AvatarFile,
    HeaderFile,
    AvatarRemoteUrl,
    HeaderRemoteUrl,
}
