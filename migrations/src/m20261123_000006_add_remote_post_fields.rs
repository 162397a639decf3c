//! Remote posts: the page URL their server gives, and the id of the post they answer
//! when that post is not (yet) stored here.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Posts::Url, Posts::InReplyToUri] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Posts::Table)
                        .add_column(string_len_null(column, 2048))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("posts_in_reply_to_id_idx")
                    .table(Posts::Table)
                    .col(Posts::InReplyToId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("posts_in_reply_to_id_idx")
                    .table(Posts::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Posts::Url, Posts::InReplyToUri] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Posts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Url,
    InReplyToUri,
    InReplyToId,
}
