//! Account stats: the numbers every account entity shows (posts, the newest post,
//! followers, following), kept up to date by the database itself as posts and
//! follows are written and removed, so that a page of statuses reads them instead
//! of counting an author's posts for every request.
//!
//! Triggers keep the counters, not the application: every path that writes posts or
//! follows (local posting, incoming activities, moderation, deletion, several
//! processes at once) is counted the same way, in the same transaction.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// SQLite: one trigger per event, each an `UPDATE` of rows the account trigger made.
const SQLITE_TRIGGERS: &[&str] = &[
    "CREATE TRIGGER account_stats_account_added AFTER INSERT ON accounts BEGIN
        INSERT OR IGNORE INTO account_stats (account_id) VALUES (NEW.id);
    END",
    "CREATE TRIGGER account_stats_post_added AFTER INSERT ON posts BEGIN
        UPDATE account_stats SET posts_count = posts_count + 1,
            last_post_id = MAX(COALESCE(last_post_id, 0), NEW.id)
        WHERE account_id = NEW.account_id;
    END",
    "CREATE TRIGGER account_stats_post_removed AFTER DELETE ON posts BEGIN
        UPDATE account_stats SET posts_count = posts_count - 1,
            last_post_id = (SELECT MAX(id) FROM posts WHERE account_id = OLD.account_id)
        WHERE account_id = OLD.account_id;
    END",
    "CREATE TRIGGER account_stats_follow_added AFTER INSERT ON follows WHEN NEW.accepted BEGIN
        UPDATE account_stats SET followers_count = followers_count + 1
        WHERE account_id = NEW.target_id;
        UPDATE account_stats SET following_count = following_count + 1
        WHERE account_id = NEW.follower_id;
    END",
    "CREATE TRIGGER account_stats_follow_accepted AFTER UPDATE OF accepted ON follows
    WHEN NEW.accepted AND NOT OLD.accepted BEGIN
        UPDATE account_stats SET followers_count = followers_count + 1
        WHERE account_id = NEW.target_id;
        UPDATE account_stats SET following_count = following_count + 1
        WHERE account_id = NEW.follower_id;
    END",
    "CREATE TRIGGER account_stats_follow_unaccepted AFTER UPDATE OF accepted ON follows
    WHEN OLD.accepted AND NOT NEW.accepted BEGIN
        UPDATE account_stats SET followers_count = followers_count - 1
        WHERE account_id = OLD.target_id;
        UPDATE account_stats SET following_count = following_count - 1
        WHERE account_id = OLD.follower_id;
    END",
    "CREATE TRIGGER account_stats_follow_removed AFTER DELETE ON follows WHEN OLD.accepted BEGIN
        UPDATE account_stats SET followers_count = followers_count - 1
        WHERE account_id = OLD.target_id;
        UPDATE account_stats SET following_count = following_count - 1
        WHERE account_id = OLD.follower_id;
    END",
];

/// PostgreSQL: a function per table. A follow changes two rows; they are changed
/// lower account id first, so that two follows between the same two accounts in
/// opposite directions wait for each other instead of deadlocking.
const POSTGRES_TRIGGERS: &[&str] = &[
    "CREATE FUNCTION account_stats_account_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO account_stats (account_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$",
    "CREATE TRIGGER account_stats_account_added AFTER INSERT ON accounts
        FOR EACH ROW EXECUTE FUNCTION account_stats_account_added()",
    "CREATE FUNCTION account_stats_post_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE account_stats SET posts_count = posts_count + 1,
                last_post_id = GREATEST(COALESCE(last_post_id, 0), NEW.id)
            WHERE account_id = NEW.account_id;
        ELSE
            UPDATE account_stats SET posts_count = posts_count - 1,
                last_post_id = (SELECT MAX(id) FROM posts WHERE account_id = OLD.account_id)
            WHERE account_id = OLD.account_id;
        END IF;
        RETURN NULL;
    END $$",
    "CREATE TRIGGER account_stats_post_changed AFTER INSERT OR DELETE ON posts
        FOR EACH ROW EXECUTE FUNCTION account_stats_post_changed()",
    "CREATE FUNCTION account_stats_follow_counted(follower BIGINT, target BIGINT, change BIGINT)
    RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        IF follower < target THEN
            UPDATE account_stats SET following_count = following_count + change
            WHERE account_id = follower;
            UPDATE account_stats SET followers_count = followers_count + change
            WHERE account_id = target;
        ELSE
            UPDATE account_stats SET followers_count = followers_count + change
            WHERE account_id = target;
            UPDATE account_stats SET following_count = following_count + change
            WHERE account_id = follower;
        END IF;
    END $$",
    "CREATE FUNCTION account_stats_follow_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' AND NEW.accepted THEN
            PERFORM account_stats_follow_counted(NEW.follower_id, NEW.target_id, 1);
        ELSIF TG_OP = 'UPDATE' AND NEW.accepted AND NOT OLD.accepted THEN
            PERFORM account_stats_follow_counted(NEW.follower_id, NEW.target_id, 1);
        ELSIF TG_OP = 'UPDATE' AND OLD.accepted AND NOT NEW.accepted THEN
            PERFORM account_stats_follow_counted(OLD.follower_id, OLD.target_id, -1);
        ELSIF TG_OP = 'DELETE' AND OLD.accepted THEN
            PERFORM account_stats_follow_counted(OLD.follower_id, OLD.target_id, -1);
        END IF;
        RETURN NULL;
    END $$",
    "CREATE TRIGGER account_stats_follow_changed AFTER INSERT OR UPDATE OF accepted OR DELETE
        ON follows FOR EACH ROW EXECUTE FUNCTION account_stats_follow_changed()",
];

const SQLITE_DROPS: &[&str] = &[
    "DROP TRIGGER IF EXISTS account_stats_account_added",
    "DROP TRIGGER IF EXISTS account_stats_post_added",
    "DROP TRIGGER IF EXISTS account_stats_post_removed",
    "DROP TRIGGER IF EXISTS account_stats_follow_added",
    "DROP TRIGGER IF EXISTS account_stats_follow_accepted",
    "DROP TRIGGER IF EXISTS account_stats_follow_unaccepted",
    "DROP TRIGGER IF EXISTS account_stats_follow_removed",
];

const POSTGRES_DROPS: &[&str] = &[
    "DROP TRIGGER IF EXISTS account_stats_account_added ON accounts",
    "DROP TRIGGER IF EXISTS account_stats_post_changed ON posts",
    "DROP TRIGGER IF EXISTS account_stats_follow_changed ON follows",
    "DROP FUNCTION IF EXISTS account_stats_account_added()",
    "DROP FUNCTION IF EXISTS account_stats_post_changed()",
    "DROP FUNCTION IF EXISTS account_stats_follow_changed()",
    "DROP FUNCTION IF EXISTS account_stats_follow_counted(BIGINT, BIGINT, BIGINT)",
];

/// Counts what is already stored (every account gets its row).
const BACKFILL: &str = "INSERT INTO account_stats
        (account_id, posts_count, last_post_id, followers_count, following_count)
    SELECT a.id,
        (SELECT COUNT(*) FROM posts p WHERE p.account_id = a.id),
        (SELECT MAX(p.id) FROM posts p WHERE p.account_id = a.id),
        (SELECT COUNT(*) FROM follows f WHERE f.target_id = a.id AND f.accepted),
        (SELECT COUNT(*) FROM follows f WHERE f.follower_id = a.id AND f.accepted)
    FROM accounts a";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountStats::Table)
                    .col(big_integer(AccountStats::AccountId).primary_key())
                    .col(big_integer(AccountStats::PostsCount).default(0))
                    // Post ids grow with time: the newest tells when it was written.
                    .col(big_integer_null(AccountStats::LastPostId))
                    .col(big_integer(AccountStats::FollowersCount).default(0))
                    .col(big_integer(AccountStats::FollowingCount).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountStats::Table, AccountStats::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(BACKFILL).await?;
        let triggers = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_TRIGGERS,
            _ => SQLITE_TRIGGERS,
        };
        for statement in triggers {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drops = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_DROPS,
            _ => SQLITE_DROPS,
        };
        let db = manager.get_connection();
        for statement in drops {
            db.execute_unprepared(statement).await?;
        }
        manager
            .drop_table(Table::drop().table(AccountStats::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountStats {
    Table,
    AccountId,
    PostsCount,
    LastPostId,
    FollowersCount,
    FollowingCount,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
