//! Web Push: the instance's VAPID key pair (one row, made on first use), the push
//! subscriptions of access tokens (one per token), and the persistent queue of
//! notifications to push.

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
                    .table(VapidKeys::Table)
                    .col(integer(VapidKeys::Id).primary_key())
                    .col(text(VapidKeys::PrivateKey))
                    .col(string(VapidKeys::PublicKey))
                    .col(timestamp_with_time_zone(VapidKeys::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PushSubscriptions::Table)
                    .col(big_integer(PushSubscriptions::Id).primary_key())
                    .col(big_integer(PushSubscriptions::AccountId))
                    .col(string(PushSubscriptions::TokenHash).unique_key())
                    .col(string(PushSubscriptions::AccessToken))
                    .col(text(PushSubscriptions::Endpoint))
                    .col(string(PushSubscriptions::P256dh))
                    .col(string(PushSubscriptions::Auth))
                    .col(text(PushSubscriptions::Alerts))
                    .col(string(PushSubscriptions::Policy))
                    .col(timestamp_with_time_zone(PushSubscriptions::CreatedAt))
                    .col(timestamp_with_time_zone(PushSubscriptions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("push_subscriptions_account_id_fkey")
                            .from(PushSubscriptions::Table, PushSubscriptions::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("push_subscriptions_account_id_idx")
                    .table(PushSubscriptions::Table)
                    .col(PushSubscriptions::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PushDeliveries::Table)
                    .col(big_integer(PushDeliveries::Id).primary_key())
                    .col(big_integer(PushDeliveries::SubscriptionId))
                    .col(big_integer(PushDeliveries::NotificationId))
                    .col(integer(PushDeliveries::Attempts))
                    .col(timestamp_with_time_zone(PushDeliveries::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(PushDeliveries::LockedUntil))
                    .col(text_null(PushDeliveries::LastError))
                    .col(timestamp_with_time_zone(PushDeliveries::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("push_deliveries_subscription_id_fkey")
                            .from(PushDeliveries::Table, PushDeliveries::SubscriptionId)
                            .to(PushSubscriptions::Table, PushSubscriptions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("push_deliveries_notification_id_fkey")
                            .from(PushDeliveries::Table, PushDeliveries::NotificationId)
                            .to(Notifications::Table, Notifications::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("push_deliveries_next_attempt_at_idx")
                    .table(PushDeliveries::Table)
                    .col(PushDeliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("push_deliveries_subscription_id_idx")
                    .table(PushDeliveries::Table)
                    .col(PushDeliveries::SubscriptionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("push_deliveries_notification_id_idx")
                    .table(PushDeliveries::Table)
                    .col(PushDeliveries::NotificationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PushDeliveries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PushSubscriptions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(VapidKeys::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum VapidKeys {
    Table,
    Id,
    PrivateKey,
    PublicKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PushSubscriptions {
    Table,
    Id,
    AccountId,
    TokenHash,
    AccessToken,
    Endpoint,
    P256dh,
    Auth,
    Alerts,
    Policy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PushDeliveries {
    Table,
    Id,
    SubscriptionId,
    NotificationId,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastError,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
}
