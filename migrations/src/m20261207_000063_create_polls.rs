//! Polls: a post's question with its options (`polls`, one row per post that has
//! one, local or from elsewhere) and the votes cast in it (`poll_votes`). For a
//! local poll the counts in `options` are recounted from the votes after each
//! one; for another server's poll they are what that server last said.
//! `ended_told_at` is set once the people concerned are told that it ended; the
//! index finds the polls due to end.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Polls::Table)
                    .col(big_integer(Polls::PostId).primary_key())
                    .col(timestamp_with_time_zone_null(Polls::ExpiresAt))
                    .col(boolean(Polls::Multiple))
                    .col(boolean(Polls::HideTotals))
                    .col(text(Polls::Options))
                    .col(big_integer(Polls::VotesCount))
                    .col(big_integer_null(Polls::VotersCount))
                    .col(timestamp_with_time_zone_null(Polls::EndedToldAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("polls_post_id_fkey")
                            .from(Polls::Table, Polls::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("polls_expires_at_idx")
                    .table(Polls::Table)
                    .col(Polls::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PollVotes::Table)
                    .col(big_integer(PollVotes::PostId))
                    .col(big_integer(PollVotes::AccountId))
                    .col(integer(PollVotes::Choice))
                    .col(string_null(PollVotes::Uri))
                    .col(timestamp_with_time_zone(PollVotes::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(PollVotes::PostId)
                            .col(PollVotes::AccountId)
                            .col(PollVotes::Choice),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("poll_votes_post_id_fkey")
                            .from(PollVotes::Table, PollVotes::PostId)
                            .to(Polls::Table, Polls::PostId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("poll_votes_account_id_fkey")
                            .from(PollVotes::Table, PollVotes::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("poll_votes_account_id_idx")
                    .table(PollVotes::Table)
                    .col(PollVotes::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PollVotes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Polls::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Polls {
    Table,
    PostId,
    ExpiresAt,
    Multiple,
    HideTotals,
    Options,
    VotesCount,
    VotersCount,
    EndedToldAt,
}

#[derive(DeriveIden)]
enum PollVotes {
    Table,
    PostId,
    AccountId,
    Choice,
    Uri,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
