//! Articles: a post's long-form text (`articles`, one row per post that is an
//! article, local or from elsewhere) with its title, summary, Markdown source
//! (for this instance's articles), rendered HTML and cover; and the comments an
//! article's author hid (`article_comment_hides`, one row per hidden comment).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Articles::Table)
                    .col(big_integer(Articles::PostId).primary_key())
                    .col(text(Articles::Title))
                    .col(text(Articles::Summary))
                    .col(text_null(Articles::Markdown))
                    .col(text(Articles::BodyHtml))
                    .col(big_integer_null(Articles::CoverMediaId))
                    .col(text_null(Articles::CoverUrl))
                    .foreign_key(
                        ForeignKey::create()
                            .name("articles_post_id_fkey")
                            .from(Articles::Table, Articles::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ArticleCommentHides::Table)
                    .col(big_integer(ArticleCommentHides::CommentId).primary_key())
                    .col(big_integer(ArticleCommentHides::ArticleId))
                    .col(timestamp_with_time_zone(ArticleCommentHides::HiddenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("article_comment_hides_comment_id_fkey")
                            .from(ArticleCommentHides::Table, ArticleCommentHides::CommentId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("article_comment_hides_article_id_fkey")
                            .from(ArticleCommentHides::Table, ArticleCommentHides::ArticleId)
                            .to(Articles::Table, Articles::PostId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("article_comment_hides_article_id_idx")
                    .table(ArticleCommentHides::Table)
                    .col(ArticleCommentHides::ArticleId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ArticleCommentHides::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Articles::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    PostId,
    Title,
    Summary,
    Markdown,
    BodyHtml,
    CoverMediaId,
    CoverUrl,
}

#[derive(DeriveIden)]
enum ArticleCommentHides {
    Table,
    CommentId,
    ArticleId,
    HiddenAt,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
}
