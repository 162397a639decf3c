//! What a person keeps for themselves about others: blocks, mutes, bookmarks,
//! followed hashtags, and whether they want to hear of each post of someone they
//! follow.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_accounts::Accounts;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A table of rows linking an account (`owner`) to something else (`other`, a row of
/// `other_table`), unique per pair, removed with either side.
fn pair_table(
    table: &str,
    owner: &str,
    other: &str,
    other_table: &str,
    extra: Vec<ColumnDef>,
) -> TableCreateStatement {
    let mut create = Table::create();
    create
        .table(Alias::new(table))
        .col(big_integer(Alias::new("id")).primary_key())
        .col(big_integer(Alias::new(owner)))
        .col(big_integer(Alias::new(other)));
    for mut column in extra {
        create.col(&mut column);
    }
    create
        .col(timestamp_with_time_zone(Alias::new("created_at")))
        .index(
            Index::create()
                .name(format!("{table}_{owner}_{other}_key"))
                .col(Alias::new(owner))
                .col(Alias::new(other))
                .unique(),
        )
        .foreign_key(
            ForeignKey::create()
                .name(format!("{table}_{owner}_fkey"))
                .from(Alias::new(table), Alias::new(owner))
                .to(Accounts::Table, Accounts::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .name(format!("{table}_{other}_fkey"))
                .from(Alias::new(table), Alias::new(other))
                .to(Alias::new(other_table), Alias::new("id"))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            pair_table(
                "blocks",
                "account_id",
                "target_id",
                "accounts",
                vec![string_null(Alias::new("uri"))],
            ),
            pair_table(
                "mutes",
                "account_id",
                "target_id",
                "accounts",
                vec![
                    boolean(Alias::new("notifications"))
                        .default(true)
                        .to_owned(),
                    timestamp_with_time_zone_null(Alias::new("expires_at")),
                ],
            ),
            pair_table("bookmarks", "account_id", "post_id", "posts", vec![]),
            pair_table("tag_follows", "account_id", "tag_id", "tags", vec![]),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("follows"))
                    .add_column(boolean(Alias::new("notify")).default(false))
                    .to_owned(),
            )
            .await?;
        // "Who blocks me?" and "who follows this tag?" are asked from the other side.
        for (name, table, column) in [
            ("blocks_target_id_idx", "blocks", "target_id"),
            ("tag_follows_tag_id_idx", "tag_follows", "tag_id"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Alias::new(table))
                        .col(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("follows"))
                    .drop_column(Alias::new("notify"))
                    .to_owned(),
            )
            .await?;
        for table in ["tag_follows", "bookmarks", "mutes", "blocks"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
