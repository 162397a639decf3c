//! The home feed: for each local reader, the ids of the posts that may be in their
//! home timeline, written when a post is stored or a source is followed (see
//! `crates/domain/src/timelines/home_feed.rs`). A home page is then one range of
//! this table's primary key; who may see what is still decided when it is read.
//!
//! Existing homes are filled here from what readers follow: the newest posts of
//! each source, up to a bound per source, as a new follow would bring.

use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The most posts of each source (a followed account, a closed group, a followed
/// hashtag, the reader's own and the direct posts naming them) filled in.
const PER_SOURCE: u32 = 800;

/// The fill, one statement per kind of source, each ranking a source's posts
/// newest first and keeping the first [`PER_SOURCE`]. The same text serves both
/// engines.
fn fill_statements() -> Vec<String> {
    let sources = [
        // The reader's own posts and boosts.
        "SELECT p.account_id AS reader, p.id AS post_id,
            ROW_NUMBER() OVER (PARTITION BY p.account_id ORDER BY p.id DESC) AS n
         FROM posts p JOIN users u ON u.account_id = p.account_id",
        // The posts and boosts of followed accounts (groups' announces included).
        "SELECT f.follower_id AS reader, p.id AS post_id,
            ROW_NUMBER() OVER (PARTITION BY f.follower_id, f.target_id ORDER BY p.id DESC) AS n
         FROM follows f
         JOIN users u ON u.account_id = f.follower_id
         JOIN posts p ON p.account_id = f.target_id
         WHERE f.accepted",
        // Direct posts written to the closed groups the reader is a member of.
        "SELECT f.follower_id AS reader, c.post_id AS post_id,
            ROW_NUMBER() OVER (PARTITION BY f.follower_id, c.group_id ORDER BY c.post_id DESC) AS n
         FROM follows f
         JOIN users u ON u.account_id = f.follower_id
         JOIN closed_group_posts c ON c.group_id = f.target_id
         WHERE f.accepted",
        // Direct posts naming the reader.
        "SELECT m.account_id AS reader, m.post_id AS post_id,
            ROW_NUMBER() OVER (PARTITION BY m.account_id ORDER BY m.post_id DESC) AS n
         FROM mentions m
         JOIN users u ON u.account_id = m.account_id
         JOIN posts p ON p.id = m.post_id
         WHERE p.visibility = 'direct'",
        // Public posts with a hashtag the reader follows.
        "SELECT t.account_id AS reader, pt.post_id AS post_id,
            ROW_NUMBER() OVER (PARTITION BY t.account_id, t.tag_id ORDER BY pt.post_id DESC) AS n
         FROM tag_follows t
         JOIN users u ON u.account_id = t.account_id
         JOIN post_tags pt ON pt.tag_id = t.tag_id
         JOIN posts p ON p.id = pt.post_id
         WHERE p.visibility = 'public'",
    ];
    sources
        .iter()
        .map(|source| {
            // `WHERE` before `ON CONFLICT` keeps SQLite from reading `ON` as a join's.
            format!(
                "INSERT INTO home_feed (account_id, post_id)
                 SELECT reader, post_id FROM ({source}) AS ranked
                 WHERE n <= {PER_SOURCE}
                 ON CONFLICT DO NOTHING"
            )
        })
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HomeFeed::Table)
                    .col(big_integer(HomeFeed::AccountId))
                    .col(big_integer(HomeFeed::PostId))
                    .primary_key(
                        Index::create()
                            .col(HomeFeed::AccountId)
                            .col(HomeFeed::PostId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(HomeFeed::Table, HomeFeed::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(HomeFeed::Table, HomeFeed::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A deleted post's rows are found through this index, not by a scan.
        manager
            .create_index(
                Index::create()
                    .name("home_feed_post_id_idx")
                    .table(HomeFeed::Table)
                    .col(HomeFeed::PostId)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for statement in fill_statements() {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(HomeFeed::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum HomeFeed {
    Table,
    AccountId,
    PostId,
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
