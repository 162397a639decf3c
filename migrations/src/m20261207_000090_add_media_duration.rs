//! Sound and video: how long an attachment plays, in seconds, when it is known
//! (read from an upload's file, or given by a remote server).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MediaAttachments::Table)
                    .add_column(double_null(MediaAttachments::Duration))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MediaAttachments::Table)
                    .drop_column(MediaAttachments::Duration)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum MediaAttachments {
    Table,
    Duration,
}
