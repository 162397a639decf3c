//! Interactions: favourites, boosts (posts that share another post) and the
//! notifications they and follows and mentions bring.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_accounts::Accounts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Posts::Table)
                    .add_column(big_integer_null(Posts::ReblogOfId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("posts_reblog_of_id_idx")
                    .table(Posts::Table)
                    .col(Posts::ReblogOfId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Favourites::Table)
                    .col(big_integer(Favourites::Id).primary_key())
                    .col(big_integer(Favourites::AccountId))
                    .col(big_integer(Favourites::PostId))
                    // The id of the `Like` activity, to match its `Undo`.
                    .col(string_len_null(Favourites::Uri, 2048))
                    .col(timestamp_with_time_zone(Favourites::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("favourites_account_id_fkey")
                            .from(Favourites::Table, Favourites::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("favourites_post_id_fkey")
                            .from(Favourites::Table, Favourites::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("favourites_account_id_post_id_key")
                    .table(Favourites::Table)
                    .col(Favourites::AccountId)
                    .col(Favourites::PostId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(big_integer(Notifications::Id).primary_key())
                    // Who is told.
                    .col(big_integer(Notifications::AccountId))
                    // Who did it.
                    .col(big_integer(Notifications::FromAccountId))
                    .col(string_len(Notifications::Kind, 32))
                    .col(big_integer_null(Notifications::PostId))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("notifications_account_id_fkey")
                            .from(Notifications::Table, Notifications::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("notifications_from_account_id_fkey")
                            .from(Notifications::Table, Notifications::FromAccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("notifications_post_id_fkey")
                            .from(Notifications::Table, Notifications::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notifications_account_id_id_idx")
                    .table(Notifications::Table)
                    .col(Notifications::AccountId)
                    .col(Notifications::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Favourites::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("posts_reblog_of_id_idx")
                    .table(Posts::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Posts::Table)
                    .drop_column(Posts::ReblogOfId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    ReblogOfId,
}

#[derive(DeriveIden)]
enum Favourites {
    Table,
    Id,
    AccountId,
    PostId,
    Uri,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    AccountId,
    FromAccountId,
    Kind,
    PostId,
    CreatedAt,
}
