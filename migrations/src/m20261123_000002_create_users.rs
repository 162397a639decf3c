//! Users: the sign-in credentials and standing of the people whose accounts live on
//! this instance.

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
                    .table(Users::Table)
                    .col(big_integer(Users::AccountId).primary_key())
                    // Lower-cased, so that addresses are unique whatever their case.
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string_len(Users::PasswordHash, 255))
                    .col(string_len(Users::Role, 16).default("user"))
                    .col(boolean(Users::Disabled).default(false))
                    .col(boolean(Users::Approved).default(true))
                    .col(big_integer_null(Users::InviteId))
                    .col(timestamp_with_time_zone_null(Users::LastActiveAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("users_account_id_fkey")
                            .from(Users::Table, Users::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Users {
    Table,
    AccountId,
    Email,
    PasswordHash,
    Role,
    Disabled,
    Approved,
    InviteId,
    LastActiveAt,
    CreatedAt,
}
