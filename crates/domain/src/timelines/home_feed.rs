//! The home feed: for each local reader, the ids of the posts that may be in their
//! home timeline, so that a home page is one range of an index instead of a
//! search of every source it has.
//!
//! The feed holds a superset. A post is written to every reader it may reach when
//! it is stored (followers of its author, the people a direct post names, the
//! followers of its hashtags, the members of the closed groups it is written to,
//! and its author), and a source's newest posts are written when a reader takes
//! it up (a follow accepted, a hashtag followed). Nothing is taken out when a
//! follow ends, a block or a mute begins, or a post changes: [`super::home`]
//! applies the visibility rules to every row it reads, so a stale row is only
//! skipped. Rows go with their post or their reader (the foreign keys cascade).

use sea_orm::{ConnectionTrait, Statement, Value};

use crate::Result;

/// How many of a source's newest posts a reader gets when taking it up.
pub const BACKFILL_POSTS: i64 = 400;

/// Writes post `post_id` (a post or a boost, stored with its mentions, hashtags
/// and groups) to the feeds of the local readers it may reach. Writing it again
/// (after an edit, or once it is recorded as written to a group) adds only the
/// readers it did not reach yet.
pub(crate) async fn add_post(db: &impl ConnectionTrait, post_id: i64) -> Result<()> {
    // `$1` is the post, named once by each source.
    const READERS: &str = "
        SELECT f.follower_id AS reader, p.id AS post_id FROM posts p
            JOIN follows f ON f.target_id = p.account_id AND f.accepted
            JOIN users u ON u.account_id = f.follower_id
            WHERE p.id = $1
        UNION ALL
        SELECT u.account_id, p.id FROM posts p
            JOIN users u ON u.account_id = p.account_id
            WHERE p.id = $1
        UNION ALL
        SELECT m.account_id, p.id FROM posts p
            JOIN mentions m ON m.post_id = p.id
            JOIN users u ON u.account_id = m.account_id
            WHERE p.id = $1 AND p.visibility = 'direct'
        UNION ALL
        SELECT t.account_id, p.id FROM posts p
            JOIN post_tags pt ON pt.post_id = p.id
            JOIN tag_follows t ON t.tag_id = pt.tag_id
            WHERE p.id = $1 AND p.visibility = 'public'
        UNION ALL
        SELECT f.follower_id, p.id FROM posts p
            JOIN closed_group_posts c ON c.post_id = p.id
            JOIN follows f ON f.target_id = c.group_id AND f.accepted
            JOIN users u ON u.account_id = f.follower_id
            WHERE p.id = $1";
    insert(db, READERS, vec![post_id.into()]).await
}

/// Writes the newest posts of `source_id` (an account, or a group with the posts
/// written to it) to `reader_id`'s feed, if the reader is local: their follow of
/// it was just accepted.
pub(crate) async fn add_followed(
    db: &impl ConnectionTrait,
    reader_id: i64,
    source_id: i64,
) -> Result<()> {
    const READERS: &str = "
        SELECT u.account_id AS reader, p.id AS post_id FROM users u, (
            SELECT id FROM posts WHERE account_id = $2 ORDER BY id DESC LIMIT $3
        ) p WHERE u.account_id = $1
        UNION ALL
        SELECT u.account_id, c.post_id FROM users u, (
            SELECT post_id FROM closed_group_posts WHERE group_id = $2
            ORDER BY post_id DESC LIMIT $3
        ) c WHERE u.account_id = $1";
    let values = vec![reader_id.into(), source_id.into(), BACKFILL_POSTS.into()];
    insert(db, READERS, values).await
}

/// Writes the newest posts with hashtag `tag_id` to `reader_id`'s feed: they just
/// followed it.
pub(crate) async fn add_tag(db: &impl ConnectionTrait, reader_id: i64, tag_id: i64) -> Result<()> {
    const READERS: &str = "
        SELECT u.account_id AS reader, t.post_id AS post_id FROM users u, (
            SELECT post_id FROM post_tags WHERE tag_id = $2 ORDER BY post_id DESC LIMIT $3
        ) t WHERE u.account_id = $1";
    let values = vec![reader_id.into(), tag_id.into(), BACKFILL_POSTS.into()];
    insert(db, READERS, values).await
}

/// Adds the (reader, post id) rows `readers` selects to the feed, those already
/// there aside. `readers` numbers its values `$1`, `$2` ... in order of first
/// use, which both engines bind by number.
async fn insert(db: &impl ConnectionTrait, readers: &str, values: Vec<Value>) -> Result<()> {
    // The `WHERE` keeps SQLite from reading `ON CONFLICT`'s `ON` as a join's.
    let sql = format!(
        "INSERT INTO home_feed (account_id, post_id)
         SELECT reader, post_id FROM ({readers}) AS readers WHERE TRUE
         ON CONFLICT DO NOTHING"
    );
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(())
}
