//! Outgoing mails: each mail waits here, rendered, until a worker has handed it to
//! the SMTP server, and is then deleted; a failed attempt is retried later.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutgoingMails::Table)
                    .col(big_integer(OutgoingMails::Id).primary_key())
                    .col(string_len(OutgoingMails::Recipient, 254))
                    .col(string_len(OutgoingMails::Subject, 500))
                    .col(text(OutgoingMails::TextBody))
                    .col(text(OutgoingMails::HtmlBody))
                    .col(integer(OutgoingMails::Attempts))
                    .col(timestamp_with_time_zone(OutgoingMails::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(OutgoingMails::LockedUntil))
                    .col(string_len_null(OutgoingMails::LastError, 500))
                    .col(timestamp_with_time_zone(OutgoingMails::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outgoing_mails_next_attempt_at_idx")
                    .table(OutgoingMails::Table)
                    .col(OutgoingMails::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutgoingMails::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OutgoingMails {
    Table,
    Id,
    Recipient,
    Subject,
    TextBody,
    HtmlBody,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastError,
    CreatedAt,
}
