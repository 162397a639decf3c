//! Groups: an account of kind `group` (its handle, its key pair) with what makes it
//! a group — name, description, rules, membership policy, who made it — and its
//! moderators. Membership itself is a follow of the group's account.

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
                    .table(Groups::Table)
                    .col(big_integer(Groups::AccountId).primary_key())
                    .col(string(Groups::Name))
                    .col(text(Groups::Description))
                    .col(text(Groups::Rules))
                    .col(string(Groups::Policy))
                    .col(big_integer_null(Groups::CreatedBy))
                    .col(timestamp_with_time_zone(Groups::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("groups_account_id_fkey")
                            .from(Groups::Table, Groups::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("groups_created_by_fkey")
                            .from(Groups::Table, Groups::CreatedBy)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GroupModerators::Table)
                    .col(big_integer(GroupModerators::GroupId))
                    .col(big_integer(GroupModerators::AccountId))
                    .col(timestamp_with_time_zone(GroupModerators::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(GroupModerators::GroupId)
                            .col(GroupModerators::AccountId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("group_moderators_group_id_fkey")
                            .from(GroupModerators::Table, GroupModerators::GroupId)
                            .to(Groups::Table, Groups::AccountId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("group_moderators_account_id_fkey")
                            .from(GroupModerators::Table, GroupModerators::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("group_moderators_account_id_idx")
                    .table(GroupModerators::Table)
                    .col(GroupModerators::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GroupModerators::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Groups::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    AccountId,
    Name,
    Description,
    Rules,
    Policy,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GroupModerators {
    Table,
    GroupId,
    AccountId,
    CreatedAt,
}
