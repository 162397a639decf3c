//! Pinned posts: the few posts a person shows at the top of their profile.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Pins::Table)
                    .col(big_integer(Pins::AccountId))
                    .col(big_integer(Pins::PostId))
                    .col(timestamp_with_time_zone(Pins::CreatedAt))
                    .primary_key(Index::create().col(Pins::AccountId).col(Pins::PostId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Pins::Table, Pins::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Pins::Table, Pins::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Pins::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Pins {
    Table,
    AccountId,
    PostId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
}
