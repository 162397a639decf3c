//! Posts: notes now; articles, events and polls later share the table through `kind`.

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
                    .table(Posts::Table)
                    // Time-ordered ids: the newest post has the largest id.
                    .col(big_integer(Posts::Id).primary_key())
                    .col(big_integer(Posts::AccountId))
                    .col(string_len(Posts::Kind, 16).default("note"))
                    // The ActivityPub id of a remote post; null for local posts.
                    .col(string_len_null(Posts::Uri, 2048).unique_key())
                    .col(boolean(Posts::Local))
                    .col(string_len(Posts::Visibility, 16))
                    .col(text(Posts::Content))
                    .col(text_null(Posts::Source))
                    .col(text(Posts::SpoilerText).default(""))
                    .col(boolean(Posts::Sensitive).default(false))
                    .col(string_len_null(Posts::Language, 16))
                    .col(big_integer_null(Posts::InReplyToId))
                    .col(timestamp_with_time_zone(Posts::CreatedAt))
                    .col(timestamp_with_time_zone_null(Posts::EditedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("posts_account_id_fkey")
                            .from(Posts::Table, Posts::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("posts_account_id_id_idx")
                    .table(Posts::Table)
                    .col(Posts::AccountId)
                    .col(Posts::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("posts_local_id_idx")
                    .table(Posts::Table)
                    .col(Posts::Local)
                    .col(Posts::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Posts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    AccountId,
    Kind,
    Uri,
    Local,
    Visibility,
    Content,
    Source,
    SpoilerText,
    Sensitive,
    Language,
    InReplyToId,
    CreatedAt,
    EditedAt,
}
