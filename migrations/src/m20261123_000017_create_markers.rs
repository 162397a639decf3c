//! Reading positions: where a person stopped reading their home timeline and their
//! notifications, so that another app of theirs starts there.

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
                    .table(Markers::Table)
                    .col(big_integer(Markers::AccountId))
                    .col(string_len(Markers::Timeline, 20))
                    .col(big_integer(Markers::LastReadId))
                    .col(integer(Markers::Version))
                    .col(timestamp_with_time_zone(Markers::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(Markers::AccountId)
                            .col(Markers::Timeline),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("markers_account_id_fkey")
                            .from(Markers::Table, Markers::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Markers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Markers {
    Table,
    AccountId,
    Timeline,
    LastReadId,
    Version,
    UpdatedAt,
}
