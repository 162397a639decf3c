//! Filters: a person's named sets of keywords and posts, each hiding or warning of
//! the posts it matches in the places (contexts) it names, until it expires.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Filters::Table)
                    .col(big_integer(Filters::Id).primary_key())
                    .col(big_integer(Filters::AccountId))
                    .col(string_len(Filters::Title, 255))
                    // The contexts it applies in, separated by commas.
                    .col(string_len(Filters::Context, 255))
                    // `warn`, `hide` or `blur`.
                    .col(string_len(Filters::Action, 16))
                    .col(timestamp_with_time_zone_null(Filters::ExpiresAt))
                    .col(timestamp_with_time_zone(Filters::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Filters::Table, Filters::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_filters_account_id")
                    .table(Filters::Table)
                    .col(Filters::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FilterKeywords::Table)
                    .col(big_integer(FilterKeywords::Id).primary_key())
                    .col(big_integer(FilterKeywords::FilterId))
                    .col(string_len(FilterKeywords::Keyword, 255))
                    .col(boolean(FilterKeywords::WholeWord))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FilterKeywords::Table, FilterKeywords::FilterId)
                            .to(Filters::Table, Filters::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_filter_keywords_filter_id")
                    .table(FilterKeywords::Table)
                    .col(FilterKeywords::FilterId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FilterStatuses::Table)
                    .col(big_integer(FilterStatuses::Id).primary_key())
                    .col(big_integer(FilterStatuses::FilterId))
                    .col(big_integer(FilterStatuses::PostId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FilterStatuses::Table, FilterStatuses::FilterId)
                            .to(Filters::Table, Filters::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(FilterStatuses::Table, FilterStatuses::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_filter_statuses_filter_post")
                    .table(FilterStatuses::Table)
                    .col(FilterStatuses::FilterId)
                    .col(FilterStatuses::PostId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_filter_statuses_post_id")
                    .table(FilterStatuses::Table)
                    .col(FilterStatuses::PostId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FilterStatuses::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(FilterKeywords::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Filters::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Filters {
    Table,
    Id,
    AccountId,
    Title,
    Context,
    Action,
    ExpiresAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FilterKeywords {
    Table,
    Id,
    FilterId,
    Keyword,
    WholeWord,
}

#[derive(DeriveIden)]
enum FilterStatuses {
    Table,
    Id,
    FilterId,
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
