//! An index of boosts by the post boosted and the booster: whether the reader boosted
//! each post of a page is one probe per post, not a walk of everything the reader
//! wrote (which the planner chose through the per-account index).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "posts_reblog_of_id_account_id_idx";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Posts::Table)
                    .col(Posts::ReblogOfId)
                    .col(Posts::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Posts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    ReblogOfId,
    AccountId,
}
