//! Media attachments: images uploaded by local people (files under the data
//! directory) and those of remote posts (known by their URL), each belonging to an
//! account and, once a post uses it, to that post in a given order.

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
                    .table(MediaAttachments::Table)
                    // Time-ordered ids, like posts.
                    .col(big_integer(MediaAttachments::Id).primary_key())
                    .col(big_integer(MediaAttachments::AccountId))
                    // Null until a post uses it; a deleted post leaves it unattached
                    // (so "delete and redraft" can use it again) until upkeep removes it.
                    .col(big_integer_null(MediaAttachments::PostId))
                    .col(integer(MediaAttachments::Position).default(0))
                    // `image` now; `audio` and `video` later.
                    .col(string_len(MediaAttachments::Kind, 16))
                    .col(string_len(MediaAttachments::ContentType, 64))
                    .col(text_null(MediaAttachments::Description))
                    .col(double(MediaAttachments::FocusX).default(0.0))
                    .col(double(MediaAttachments::FocusY).default(0.0))
                    // Local files: names in the media store; null for remote media.
                    .col(string_len_null(MediaAttachments::File, 64))
                    .col(string_len_null(MediaAttachments::ThumbnailFile, 64))
                    .col(big_integer_null(MediaAttachments::Size))
                    .col(integer_null(MediaAttachments::Width))
                    .col(integer_null(MediaAttachments::Height))
                    .col(integer_null(MediaAttachments::ThumbnailWidth))
                    .col(integer_null(MediaAttachments::ThumbnailHeight))
                    .col(string_len_null(MediaAttachments::Blurhash, 128))
                    // Where a remote attachment lives on its own server.
                    .col(string_len_null(MediaAttachments::RemoteUrl, 2048))
                    .col(timestamp_with_time_zone(MediaAttachments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("media_attachments_account_id_fkey")
                            .from(MediaAttachments::Table, MediaAttachments::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("media_attachments_post_id_fkey")
                            .from(MediaAttachments::Table, MediaAttachments::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("media_attachments_post_id_position_idx")
                    .table(MediaAttachments::Table)
                    .col(MediaAttachments::PostId)
                    .col(MediaAttachments::Position)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("media_attachments_account_id_idx")
                    .table(MediaAttachments::Table)
                    .col(MediaAttachments::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MediaAttachments::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MediaAttachments {
    Table,
    Id,
    AccountId,
    PostId,
    Position,
    Kind,
    ContentType,
    Description,
    FocusX,
    FocusY,
    File,
    ThumbnailFile,
    Size,
    Width,
    Height,
    ThumbnailWidth,
    ThumbnailHeight,
    Blurhash,
    RemoteUrl,
    CreatedAt,
}
