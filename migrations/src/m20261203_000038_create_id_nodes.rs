//! Id nodes: which running process holds which node number, so that processes
//! sharing the database never make the same id.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdNodes::Table)
                    .col(small_integer(IdNodes::Node).primary_key())
                    .col(string(IdNodes::Holder))
                    .col(timestamp_with_time_zone(IdNodes::RenewedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdNodes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum IdNodes {
    Table,
    Node,
    Holder,
    RenewedAt,
}
