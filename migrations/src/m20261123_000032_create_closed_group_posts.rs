//! Posts written to a closed group, kept for remote groups too: a member's
//! instance keeps the posts a closed group on another instance passes to its
//! members. The group of a row is any account (a local group, or one elsewhere),
//! so the rows move from `group_posts` (whose group was a row of `groups`) to
//! `closed_group_posts`, all of them kept.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Makes `table`, its group referring to `group` (a table and its key column).
async fn create(
    manager: &SchemaManager<'_>,
    table: impl IntoIden + Copy + 'static,
    group: (impl IntoIden + 'static, impl IntoIden + 'static),
    index: &str,
) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(table)
                .col(big_integer(Column::GroupId))
                .col(big_integer(Column::PostId))
                .col(timestamp_with_time_zone(Column::CreatedAt))
                .primary_key(Index::create().col(Column::GroupId).col(Column::PostId))
                .foreign_key(
                    ForeignKey::create()
                        .from(table, Column::GroupId)
                        .to(group.0, group.1)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(table, Column::PostId)
                        .to(Posts::Table, Posts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name(index)
                .table(table)
                .col(Column::PostId)
                .to_owned(),
        )
        .await
}

/// Copies the rows of `from` into `into`, those whose group `only` selects.
async fn copy(
    manager: &SchemaManager<'_>,
    from: impl IntoIden + 'static,
    into: impl IntoIden + 'static,
    only: Option<SelectStatement>,
) -> Result<(), DbErr> {
    let columns = || [Column::GroupId, Column::PostId, Column::CreatedAt];
    let mut select = Query::select().columns(columns()).from(from).to_owned();
    if let Some(only) = only {
        select.and_where(Expr::col(Column::GroupId).in_subquery(only));
    }
    manager
        .exec_stmt(
            Query::insert()
                .into_table(into)
                .columns(columns())
                .select_from(select)
                .map_err(|e| DbErr::Migration(e.to_string()))?
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            ClosedGroupPosts::Table,
            (Accounts::Table, Accounts::Id),
            "closed_group_posts_post_id_idx",
        )
        .await?;
        copy(manager, GroupPosts::Table, ClosedGroupPosts::Table, None).await?;
        manager
            .drop_table(Table::drop().table(GroupPosts::Table).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            GroupPosts::Table,
            (Groups::Table, Groups::AccountId),
            "group_posts_post_id_idx",
        )
        .await?;
        // Rows of groups elsewhere have no `groups` row to refer to.
        let local = Query::select()
            .column(Groups::AccountId)
            .from(Groups::Table)
            .to_owned();
        copy(
            manager,
            ClosedGroupPosts::Table,
            GroupPosts::Table,
            Some(local),
        )
        .await?;
        manager
            .drop_table(Table::drop().table(ClosedGroupPosts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ClosedGroupPosts {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum GroupPosts {
    Table,
}

#[derive(DeriveIden)]
enum Column {
    GroupId,
    PostId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    AccountId,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
}
