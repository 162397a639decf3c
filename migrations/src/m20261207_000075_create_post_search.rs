//! Full-text search of posts: `post_search` keeps the plain text of each post (its
//! content without markup, and its content warning), and each engine indexes it
//! its own way. SQLite: an FTS5 table reading `post_search` (external content),
//! kept in step by triggers. PostgreSQL: a generated `tsvector` column with a GIN
//! index, parsed with the `simple` configuration (words lower-cased, no stemming):
//! posts here are written in many languages, a stemmer for one of them would
//! mangle the others, and SQLite's tokenizer does not stem either, so both engines
//! find the same words. A post's row goes with the post (`ON DELETE CASCADE`,
//! which fires SQLite's triggers too). Existing posts are indexed here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Posts indexed per statement while filling the table.
const BATCH: i64 = 500;

const SQLITE_UP: &[&str] = &[
    "CREATE TABLE post_search (
        post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
        body TEXT NOT NULL
    )",
    "CREATE VIRTUAL TABLE post_search_fts USING fts5(
        body,
        content = 'post_search',
        content_rowid = 'post_id',
        tokenize = 'unicode61 remove_diacritics 0'
    )",
    "CREATE TRIGGER post_search_inserted AFTER INSERT ON post_search BEGIN
        INSERT INTO post_search_fts (rowid, body) VALUES (new.post_id, new.body);
    END",
    "CREATE TRIGGER post_search_deleted AFTER DELETE ON post_search BEGIN
        INSERT INTO post_search_fts (post_search_fts, rowid, body)
            VALUES ('delete', old.post_id, old.body);
    END",
    "CREATE TRIGGER post_search_updated AFTER UPDATE ON post_search BEGIN
        INSERT INTO post_search_fts (post_search_fts, rowid, body)
            VALUES ('delete', old.post_id, old.body);
        INSERT INTO post_search_fts (rowid, body) VALUES (new.post_id, new.body);
    END",
];

const POSTGRES_UP: &[&str] = &[
    "CREATE TABLE post_search (
        post_id BIGINT PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
        body TEXT NOT NULL,
        document tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
    )",
    "CREATE INDEX idx_post_search_document ON post_search USING GIN (document)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let statements = match backend {
            DbBackend::Sqlite => SQLITE_UP,
            _ => POSTGRES_UP,
        };
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
        let mut after = i64::MIN;
        loop {
            let rows = db
                .query_all_raw(Statement::from_sql_and_values(
                    backend,
                    match backend {
                        DbBackend::Sqlite => {
                            "SELECT id, content, spoiler_text FROM posts \
                             WHERE reblog_of_id IS NULL AND id > ? ORDER BY id LIMIT ?"
                        }
                        _ => {
                            "SELECT id, content, spoiler_text FROM posts \
                             WHERE reblog_of_id IS NULL AND id > $1 ORDER BY id LIMIT $2"
                        }
                    },
                    [after.into(), BATCH.into()],
                ))
                .await?;
            let Some(last) = rows.last() else {
                break;
            };
            after = last.try_get_by_index::<i64>(0)?;
            let mut insert = Query::insert()
                .into_table(PostSearch::Table)
                .columns([PostSearch::PostId, PostSearch::Body])
                .to_owned();
            for row in &rows {
                let id: i64 = row.try_get_by_index(0)?;
                let content: String = row.try_get_by_index(1)?;
                let spoiler: String = row.try_get_by_index(2)?;
                insert.values_panic([id.into(), body(&content, &spoiler).into()]);
            }
            db.execute(&insert).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Sqlite {
            db.execute_unprepared("DROP TABLE post_search_fts").await?;
        }
        db.execute_unprepared("DROP TABLE post_search").await?;
        Ok(())
    }
}

/// What is indexed of a post, as the application writes it then: the text of its
/// HTML (tags dropped, entities undone) and its content warning.
fn body(html: &str, spoiler_text: &str) -> String {
    let spaced = html
        .replace("</p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let mut text = String::with_capacity(spaced.len() + spoiler_text.len() + 1);
    let mut in_tag = false;
    for c in spaced.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    format!("{}\n{}", spoiler_text.trim(), text.trim())
        .trim()
        .to_owned()
}

#[derive(DeriveIden)]
enum PostSearch {
    Table,
    PostId,
    Body,
}
