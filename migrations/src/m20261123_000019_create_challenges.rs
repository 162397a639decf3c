//! Challenges: a featured prompt discussed under a hashtag for a while ("this
//! month: raising the aspirations of disadvantaged pupils, #ambitionfeed"), run by
//! a trust or network, shown to apps as an announcement that each person may
//! dismiss.

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
                    .table(Challenges::Table)
                    .col(big_integer(Challenges::Id).primary_key())
                    .col(string_len(Challenges::Title, 200))
                    .col(text(Challenges::Description))
                    .col(string_len(Challenges::Hashtag, 100))
                    .col(timestamp_with_time_zone(Challenges::StartsAt))
                    .col(timestamp_with_time_zone(Challenges::EndsAt))
                    .col(string_len(Challenges::RunBy, 200))
                    .col(string_len_null(Challenges::FeedHost, 253))
                    .col(big_integer_null(Challenges::TrustId))
                    .col(big_integer_null(Challenges::CreatedBy))
                    .col(timestamp_with_time_zone(Challenges::CreatedAt))
                    .col(timestamp_with_time_zone(Challenges::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("challenges_trust_id_fkey")
                            .from(Challenges::Table, Challenges::TrustId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("challenges_created_by_fkey")
                            .from(Challenges::Table, Challenges::CreatedBy)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("challenges_ends_at_idx")
                    .table(Challenges::Table)
                    .col(Challenges::EndsAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ChallengeDismissals::Table)
                    .col(big_integer(ChallengeDismissals::AccountId))
                    .col(big_integer(ChallengeDismissals::ChallengeId))
                    .primary_key(
                        Index::create()
                            .col(ChallengeDismissals::AccountId)
                            .col(ChallengeDismissals::ChallengeId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("challenge_dismissals_account_id_fkey")
                            .from(ChallengeDismissals::Table, ChallengeDismissals::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("challenge_dismissals_challenge_id_fkey")
                            .from(ChallengeDismissals::Table, ChallengeDismissals::ChallengeId)
                            .to(Challenges::Table, Challenges::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ChallengeDismissals::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Challenges::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Challenges {
    Table,
    Id,
    Title,
    Description,
    Hashtag,
    StartsAt,
    EndsAt,
    RunBy,
    FeedHost,
    TrustId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ChallengeDismissals {
    Table,
    AccountId,
    ChallengeId,
}
