//! The accounts a person asked not to be suggested to follow again
//! (`DELETE /api/v1/suggestions/{account_id}`); removed with either account.

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
                    .table(SuggestionDismissals::Table)
                    .col(big_integer(SuggestionDismissals::AccountId))
                    .col(big_integer(SuggestionDismissals::TargetId))
                    .col(timestamp_with_time_zone(SuggestionDismissals::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(SuggestionDismissals::AccountId)
                            .col(SuggestionDismissals::TargetId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("suggestion_dismissals_account_id_fkey")
                            .from(SuggestionDismissals::Table, SuggestionDismissals::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("suggestion_dismissals_target_id_fkey")
                            .from(SuggestionDismissals::Table, SuggestionDismissals::TargetId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SuggestionDismissals::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SuggestionDismissals {
    Table,
    AccountId,
    TargetId,
    CreatedAt,
}
