//! Invites: codes that let someone sign up while registrations are by invitation.

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
                    .table(Invites::Table)
                    .col(big_integer(Invites::Id).primary_key())
                    .col(string_len_uniq(Invites::Code, 64))
                    // Null when an administrator made it from the command line.
                    .col(big_integer_null(Invites::CreatedBy))
                    .col(integer_null(Invites::MaxUses))
                    .col(integer(Invites::Uses).default(0))
                    .col(timestamp_with_time_zone_null(Invites::ExpiresAt))
                    .col(timestamp_with_time_zone(Invites::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("invites_created_by_fkey")
                            .from(Invites::Table, Invites::CreatedBy)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Invites::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Invites {
    Table,
    Id,
    Code,
    CreatedBy,
    MaxUses,
    Uses,
    ExpiresAt,
    CreatedAt,
}
