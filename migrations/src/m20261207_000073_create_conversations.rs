//! Conversations: for each local person, the threads of direct posts they are in,
//! one row per person and thread, holding the others in it, the newest post and
//! whether it is unread. Written when a direct post is stored, so that a person's
//! list is one range of an index.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Conversations::Table)
                    .col(big_integer(Conversations::Id).primary_key())
                    .col(big_integer(Conversations::AccountId))
                    // The first post of the thread (not a foreign key: it may go).
                    .col(big_integer(Conversations::ThreadId))
                    .col(big_integer(Conversations::LastPostId))
                    // The other people in it, ids separated by commas.
                    .col(text(Conversations::ParticipantIds))
                    .col(boolean(Conversations::Unread))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Conversations::Table, Conversations::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Conversations::Table, Conversations::LastPostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_conversations_account_thread")
                    .table(Conversations::Table)
                    .col(Conversations::AccountId)
                    .col(Conversations::ThreadId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A page of a person's conversations, newest post first.
        manager
            .create_index(
                Index::create()
                    .name("idx_conversations_account_last_post")
                    .table(Conversations::Table)
                    .col(Conversations::AccountId)
                    .col(Conversations::LastPostId)
                    .to_owned(),
            )
            .await?;
        // A deleted post's rows are found through this index, not by a scan.
        manager
            .create_index(
                Index::create()
                    .name("idx_conversations_last_post")
                    .table(Conversations::Table)
                    .col(Conversations::LastPostId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Conversations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    Id,
    AccountId,
    ThreadId,
    LastPostId,
    ParticipantIds,
    Unread,
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
