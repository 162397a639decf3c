//! Events: a post's residential, visit or meeting (`events`, one row per post that
//! has one, local or from elsewhere) and who answered it (`event_participations`,
//! one row per person: going, interested, not going, on the waiting list, waiting
//! for the organiser's approval, or refused). `uri` is the id of the `Join` that
//! carries a participation between servers. `reminded_at` is set once those going
//! are reminded the day before; the index finds the events about to start.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(big_integer(Events::PostId).primary_key())
                    .col(text(Events::Title))
                    .col(text(Events::Description))
                    .col(timestamp_with_time_zone(Events::StartsAt))
                    .col(timestamp_with_time_zone(Events::EndsAt))
                    .col(string(Events::Timezone))
                    .col(text_null(Events::PlaceName))
                    .col(text_null(Events::Address))
                    .col(text_null(Events::OnlineUrl))
                    .col(big_integer_null(Events::Capacity))
                    .col(string(Events::JoinMode))
                    .col(text_null(Events::ExternalUrl))
                    .col(big_integer(Events::ParticipantCount))
                    .col(timestamp_with_time_zone_null(Events::RemindedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("events_post_id_fkey")
                            .from(Events::Table, Events::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("events_starts_at_idx")
                    .table(Events::Table)
                    .col(Events::StartsAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventParticipations::Table)
                    .col(big_integer(EventParticipations::PostId))
                    .col(big_integer(EventParticipations::AccountId))
                    .col(string(EventParticipations::Status))
                    .col(string_null(EventParticipations::Uri))
                    .col(timestamp_with_time_zone(EventParticipations::CreatedAt))
                    .col(timestamp_with_time_zone(EventParticipations::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(EventParticipations::PostId)
                            .col(EventParticipations::AccountId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("event_participations_post_id_fkey")
                            .from(EventParticipations::Table, EventParticipations::PostId)
                            .to(Events::Table, Events::PostId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("event_participations_account_id_fkey")
                            .from(EventParticipations::Table, EventParticipations::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("event_participations_account_id_idx")
                    .table(EventParticipations::Table)
                    .col(EventParticipations::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("event_participations_uri_idx")
                    .table(EventParticipations::Table)
                    .col(EventParticipations::Uri)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EventParticipations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Events::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Events {
    Table,
    PostId,
    Title,
    Description,
    StartsAt,
    EndsAt,
    Timezone,
    PlaceName,
    Address,
    OnlineUrl,
    Capacity,
    JoinMode,
    ExternalUrl,
    ParticipantCount,
    RemindedAt,
}

#[derive(DeriveIden)]
enum EventParticipations {
    Table,
    PostId,
    AccountId,
    Status,
    Uri,
    CreatedAt,
    UpdatedAt,
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
