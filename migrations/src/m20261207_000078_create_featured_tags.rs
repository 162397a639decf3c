//! Hashtags a person features on their profile (Mastodon's featured tags): one
//! row per person and tag, removed with either.

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
                    .table(FeaturedTags::Table)
                    .col(big_integer(FeaturedTags::Id).primary_key())
                    .col(big_integer(FeaturedTags::AccountId))
                    .col(big_integer(FeaturedTags::TagId))
                    .col(timestamp_with_time_zone(FeaturedTags::CreatedAt))
                    .index(
                        Index::create()
                            .name("featured_tags_account_id_tag_id_key")
                            .col(FeaturedTags::AccountId)
                            .col(FeaturedTags::TagId)
                            .unique(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("featured_tags_account_id_fkey")
                            .from(FeaturedTags::Table, FeaturedTags::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("featured_tags_tag_id_fkey")
                            .from(FeaturedTags::Table, FeaturedTags::TagId)
                            .to(Tags::Table, Tags::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FeaturedTags::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum FeaturedTags {
    Table,
    Id,
    AccountId,
    TagId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Tags {
    Table,
    Id,
}
