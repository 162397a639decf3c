//! Reports: someone (a person here, or another server's actor sending a `Flag`)
//! tells the moderators about an account and some of its posts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(big_integer(Reports::Id).primary_key())
                    .col(big_integer(Reports::AccountId))
                    .col(big_integer(Reports::TargetAccountId))
                    .col(text(Reports::Comment))
                    .col(string_len(Reports::Category, 16))
                    .col(boolean(Reports::Forwarded).default(false))
                    .col(string_len_null(Reports::Uri, 2048).unique_key())
                    .col(timestamp_with_time_zone_null(Reports::ActionTakenAt))
                    .col(big_integer_null(Reports::ActionTakenById))
                    .col(timestamp_with_time_zone(Reports::CreatedAt))
                    .col(timestamp_with_time_zone(Reports::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::TargetAccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::ActionTakenById)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("reports_target_account_id_idx")
                    .table(Reports::Table)
                    .col(Reports::TargetAccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportPosts::Table)
                    .col(big_integer(ReportPosts::ReportId))
                    .col(big_integer(ReportPosts::PostId))
                    .primary_key(
                        Index::create()
                            .col(ReportPosts::ReportId)
                            .col(ReportPosts::PostId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportPosts::Table, ReportPosts::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportPosts::Table, ReportPosts::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReportPosts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Reports::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    AccountId,
    TargetAccountId,
    Comment,
    Category,
    Forwarded,
    Uri,
    ActionTakenAt,
    ActionTakenById,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReportPosts {
    Table,
    ReportId,
    PostId,
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
