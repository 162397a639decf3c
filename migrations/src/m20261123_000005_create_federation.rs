//! Federation: the endpoints of remote actors, follows, the persistent delivery queue,
//! the health of remote instances, and the ids of activities already received.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_accounts::Accounts;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Columns added to `accounts` for remote actors (SQLite adds one per statement).
const ACTOR_COLUMNS: [Actor; 6] = [
    Actor::InboxUrl,
    Actor::SharedInboxUrl,
    Actor::OutboxUrl,
    Actor::FollowersUrl,
    Actor::FollowingUrl,
    Actor::Url,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ACTOR_COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .add_column(string_len_null(column, 2048))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(timestamp_with_time_zone_null(Actor::FetchedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Follows::Table)
                    .col(big_integer(Follows::Id).primary_key())
                    .col(big_integer(Follows::FollowerId))
                    .col(big_integer(Follows::TargetId))
                    // The id of the `Follow` activity, to match its `Accept` or `Undo`.
                    .col(string_len_null(Follows::Uri, 2048))
                    .col(boolean(Follows::Accepted))
                    .col(timestamp_with_time_zone(Follows::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("follows_follower_id_fkey")
                            .from(Follows::Table, Follows::FollowerId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("follows_target_id_fkey")
                            .from(Follows::Table, Follows::TargetId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("follows_follower_id_target_id_key")
                    .table(Follows::Table)
                    .col(Follows::FollowerId)
                    .col(Follows::TargetId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("follows_target_id_idx")
                    .table(Follows::Table)
                    .col(Follows::TargetId)
                    .col(Follows::Accepted)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OutgoingActivities::Table)
                    .col(big_integer(OutgoingActivities::Id).primary_key())
                    .col(string_len_uniq(OutgoingActivities::Uri, 2048))
                    // The local account whose key signs every delivery of it.
                    .col(big_integer(OutgoingActivities::ActorId))
                    .col(text(OutgoingActivities::Body))
                    .col(timestamp_with_time_zone(OutgoingActivities::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("outgoing_activities_actor_id_fkey")
                            .from(OutgoingActivities::Table, OutgoingActivities::ActorId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Deliveries::Table)
                    // Time-ordered: deliveries to one instance go out in this order.
                    .col(big_integer(Deliveries::Id).primary_key())
                    .col(big_integer(Deliveries::ActivityId))
                    .col(string_len(Deliveries::InboxUrl, 2048))
                    .col(string_len(Deliveries::Domain, 255))
                    .col(integer(Deliveries::Attempts).default(0))
                    .col(timestamp_with_time_zone(Deliveries::NextAttemptAt))
                    // Set while a worker holds the delivery; a worker that dies lets
                    // the lease run out and another takes it over.
                    .col(timestamp_with_time_zone_null(Deliveries::LockedUntil))
                    .col(text_null(Deliveries::LastError))
                    // Set when the delivery was given up on.
                    .col(timestamp_with_time_zone_null(Deliveries::FailedAt))
                    .col(timestamp_with_time_zone(Deliveries::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("deliveries_activity_id_fkey")
                            .from(Deliveries::Table, Deliveries::ActivityId)
                            .to(OutgoingActivities::Table, OutgoingActivities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("deliveries_activity_id_inbox_url_key")
                    .table(Deliveries::Table)
                    .col(Deliveries::ActivityId)
                    .col(Deliveries::InboxUrl)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("deliveries_next_attempt_at_idx")
                    .table(Deliveries::Table)
                    .col(Deliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Instances::Table)
                    .col(string_len(Instances::Domain, 255).primary_key())
                    .col(integer(Instances::ConsecutiveFailures).default(0))
                    .col(timestamp_with_time_zone_null(Instances::UnavailableUntil))
                    .col(timestamp_with_time_zone_null(Instances::LastSuccessAt))
                    .col(timestamp_with_time_zone_null(Instances::LastFailureAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReceivedActivities::Table)
                    .col(string_len(ReceivedActivities::Uri, 2048).primary_key())
                    .col(timestamp_with_time_zone(ReceivedActivities::ReceivedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReceivedActivities::Table.into_iden(),
            Instances::Table.into_iden(),
            Deliveries::Table.into_iden(),
            OutgoingActivities::Table.into_iden(),
            Follows::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        let mut columns: Vec<Actor> = ACTOR_COLUMNS.to_vec();
        columns.push(Actor::FetchedAt);
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Actor {
    InboxUrl,
    SharedInboxUrl,
    OutboxUrl,
    FollowersUrl,
    FollowingUrl,
    Url,
    FetchedAt,
}

#[derive(DeriveIden)]
enum Follows {
    Table,
    Id,
    FollowerId,
    TargetId,
    Uri,
    Accepted,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OutgoingActivities {
    Table,
    Id,
    Uri,
    ActorId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    Id,
    ActivityId,
    InboxUrl,
    Domain,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastError,
    FailedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Instances {
    Table,
    Domain,
    ConsecutiveFailures,
    UnavailableUntil,
    LastSuccessAt,
    LastFailureAt,
}

#[derive(DeriveIden)]
enum ReceivedActivities {
    Table,
    Uri,
    ReceivedAt,
}
