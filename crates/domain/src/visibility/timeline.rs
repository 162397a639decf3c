//! The visibility rule written as queries, for reads of many posts at once
//! (timelines, an account's posts, outboxes, streams): each function narrows a query
//! of posts to what a viewer may see, so that a page costs one indexed walk and says
//! the same as [`super::post::is_visible`] says of one post.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement, SimpleExpr, UnionType};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select};

use super::suspended::{is_suspended, suspended_accounts, suspended_ids};
use crate::Result;
use crate::communities::group::groups_of;
use crate::entities::{accounts, closed_group_posts, follows, mentions, posts};
use crate::graph::{block, domain_block, follow, mute};
use crate::posts::post::Visibility;

/// Local-only posts (and boosts of them) only for a `viewer` who is an account
/// of this instance, as a condition: none for a visitor or another server.
pub fn local_only_seen_by(viewer: Option<i64>) -> Condition {
    let shared = Condition::any().add(posts::Column::LocalOnly.eq(false));
    match viewer {
        None => shared,
        Some(viewer) => {
            let local = Query::select()
                .expr(Expr::val(1))
                .from(accounts::Entity)
                .and_where(accounts::Column::Id.eq(viewer))
                .and_where(accounts::Column::Domain.is_null())
                .to_owned();
            shared.add(Expr::exists(local))
        }
    }
}

/// Posts that anyone may see: public and unlisted ones (boosts too, unless
/// `boosts` is false), none by a suspended account, none local-only. The blocks
/// of the author still apply to a known viewer.
pub fn seen_by_anyone(query: Select<posts::Entity>, boosts: bool) -> Select<posts::Entity> {
    let query = query
        .filter(
            posts::Column::Visibility
                .is_in([Visibility::Public.name(), Visibility::Unlisted.name()]),
        )
        .filter(local_only_seen_by(None))
        .filter(posts::Column::AccountId.not_in_subquery(suspended_accounts()));
    if boosts {
        query
    } else {
        query.filter(posts::Column::ReblogOfId.is_null())
    }
}

/// Posts for feeds anyone may subscribe to (a podcast): public ones only, not
/// boosts, none by a suspended account.
pub fn public_feed(query: Select<posts::Entity>) -> Select<posts::Entity> {
    seen_by_anyone(query, false).filter(posts::Column::Visibility.eq(Visibility::Public.name()))
}

/// Posts listed in public and hashtag timelines for `viewer`: public ones, not
/// boosts, none by a suspended account, local-only ones only for an account of
/// this instance, and none by a silenced account unless
/// the viewer is that account or follows it. A silenced account's posts stay where its followers read them and
/// reachable by their address.
pub fn listed(query: Select<posts::Entity>, viewer: Option<i64>) -> Select<posts::Entity> {
    query.filter(listed_for(viewer))
}

/// [`listed`] as a condition, for a rule that has it among others.
pub fn listed_for(viewer: Option<i64>) -> Condition {
    Condition::all()
        .add(posts::Column::Visibility.eq(Visibility::Public.name()))
        .add(posts::Column::ReblogOfId.is_null())
        .add(posts::Column::AccountId.not_in_subquery(silenced_for(viewer)))
        .add(posts::Column::AccountId.not_in_subquery(suspended_accounts()))
        .add(local_only_seen_by(viewer))
}

/// The silenced accounts whose posts `viewer` is not shown in public timelines,
/// as a subquery: all of them for a visitor, those they neither are nor follow
/// for someone signed in.
fn silenced_for(viewer: Option<i64>) -> SelectStatement {
    let mut silenced = Query::select()
        .column(accounts::Column::Id)
        .from(accounts::Entity)
        .and_where(accounts::Column::SilencedAt.is_not_null())
        .to_owned();
    if let Some(viewer) = viewer {
        let followed = Query::select()
            .column(follows::Column::TargetId)
            .from(follows::Entity)
            .and_where(follows::Column::FollowerId.eq(viewer))
            .and_where(follows::Column::Accepted.eq(true))
            .to_owned();
        silenced
            .and_where(accounts::Column::Id.ne(viewer))
            .and_where(accounts::Column::Id.not_in_subquery(followed));
    }
    silenced
}

/// Direct posts (who they reach is said by the mentions and groups that find them).
pub fn direct(query: Select<posts::Entity>) -> Select<posts::Entity> {
    query.filter(posts::Column::Visibility.eq(Visibility::Direct.name()))
}

/// Of the posts of `authors`, those a follower may see, and every post of the
/// `reader` themself: what home shows of the accounts it follows.
pub fn by_followed_authors(
    query: Select<posts::Entity>,
    authors: Vec<i64>,
    reader: i64,
    walk_all_posts: bool,
) -> Select<posts::Entity> {
    let by_author = if walk_all_posts {
        // `account_id + 0` keeps the planner off the per-account index.
        Expr::col((posts::Entity, posts::Column::AccountId))
            .add(0)
            .is_in(authors)
    } else {
        posts::Column::AccountId.is_in(authors)
    };
    query.filter(by_author).filter(
        Condition::any()
            .add(seen_by_followers())
            .add(posts::Column::AccountId.eq(reader)),
    )
}

/// Posts a follower of their author may see: public, unlisted and followers-only.
fn seen_by_followers() -> SimpleExpr {
    posts::Column::Visibility.is_in([
        Visibility::Public.name(),
        Visibility::Unlisted.name(),
        Visibility::Private.name(),
    ])
}

/// Every post of `reader`, and the posts of the accounts the `followed` subquery
/// selects (accounts `reader` follows) that a follower may see: what
/// [`by_followed_authors`] says, as a condition with the followed accounts read by
/// the database.
pub fn own_or_followed(followed: SelectStatement, reader: i64) -> Condition {
    Condition::any()
        .add(posts::Column::AccountId.eq(reader))
        .add(
            Condition::all()
                .add(posts::Column::AccountId.in_subquery(followed))
                .add(seen_by_followers()),
        )
}

/// Direct posts that name `reader`, as a condition (one probe of the mentions per
/// post).
pub fn direct_naming(reader: i64) -> Condition {
    let named = Query::select()
        .expr(Expr::val(1))
        .from(mentions::Entity)
        .and_where(
            Expr::col((mentions::Entity, mentions::Column::PostId))
                .equals((posts::Entity, posts::Column::Id)),
        )
        .and_where(Expr::col((mentions::Entity, mentions::Column::AccountId)).eq(reader))
        .to_owned();
    Condition::all()
        .add(posts::Column::Visibility.eq(Visibility::Direct.name()))
        .add(Expr::exists(named))
}

/// Every post `viewer` may see, as a condition: their own; public and unlisted
/// ones; followers-only ones of the accounts they follow (accepted); any that
/// mention them; and those written to a closed group they are a member of; none
/// local-only unless they are an account of this instance — what
/// [`super::post::is_visible`] says of one post, but for blocks and suspensions,
/// which [`without_excluded`] adds.
pub fn seen_by(viewer: i64) -> Condition {
    let followed = Query::select()
        .column(follows::Column::TargetId)
        .from(follows::Entity)
        .and_where(follows::Column::FollowerId.eq(viewer))
        .and_where(follows::Column::Accepted.eq(true))
        .to_owned();
    let in_my_groups = Query::select()
        .column(closed_group_posts::Column::PostId)
        .from(closed_group_posts::Entity)
        .and_where(closed_group_posts::Column::GroupId.in_subquery(groups_of(viewer)))
        .to_owned();
    let audience = Condition::any()
        .add(posts::Column::AccountId.eq(viewer))
        .add(
            posts::Column::Visibility
                .is_in([Visibility::Public.name(), Visibility::Unlisted.name()]),
        )
        .add(
            Condition::all()
                .add(posts::Column::Visibility.eq(Visibility::Private.name()))
                .add(posts::Column::AccountId.in_subquery(followed)),
        )
        .add(posts::Column::Id.in_subquery(mentioning(viewer)))
        .add(posts::Column::Id.in_subquery(in_my_groups));
    Condition::all()
        .add(audience)
        .add(local_only_seen_by(Some(viewer)))
}

/// The posts that mention `account_id`, as a subquery.
pub fn mentioning(account_id: i64) -> SelectStatement {
    Query::select()
        .column(mentions::Column::PostId)
        .from(mentions::Entity)
        .and_where(mentions::Column::AccountId.eq(account_id))
        .to_owned()
}

/// The accounts whose posts `viewer` does not see in timelines: those they block,
/// mute or are blocked by, those of the servers they block, and the suspended
/// ones but the viewer themself (one query).
pub async fn excluded_accounts(db: &impl ConnectionTrait, viewer: i64) -> Result<Vec<i64>> {
    let [blocking, blocked_by] = block::blocking_either_way(viewer);
    let mut query = mute::muted_now(viewer, Utc::now());
    query
        .union(UnionType::All, blocking)
        .union(UnionType::All, blocked_by)
        .union(UnionType::All, domain_block::accounts_blocked(viewer))
        .union(
            UnionType::All,
            suspended_accounts()
                .and_where(accounts::Column::Id.ne(viewer))
                .to_owned(),
        );
    let backend = db.get_database_backend();
    let mut ids = db
        .query_all_raw(backend.build(&query))
        .await?
        .iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Leaves out the posts of the `excluded` accounts (see [`excluded_accounts`]), and
/// boosts of their posts.
pub fn excluding(query: Select<posts::Entity>, excluded: &[i64]) -> Select<posts::Entity> {
    if excluded.is_empty() {
        return query;
    }
    let boosted_excluded = Query::select()
        .column(posts::Column::Id)
        .from(posts::Entity)
        .and_where(posts::Column::AccountId.is_in(excluded.iter().copied()))
        .to_owned();
    query
        .filter(posts::Column::AccountId.is_not_in(excluded.iter().copied()))
        .filter(
            Condition::any()
                .add(posts::Column::ReblogOfId.is_null())
                .add(posts::Column::ReblogOfId.not_in_subquery(boosted_excluded)),
        )
}

/// Leaves out, for `viewer`, the posts of accounts they block, mute or are blocked
/// by or whose server they block, and boosts of such accounts' posts; for
/// anyone, those of suspended accounts and boosts of them.
pub async fn without_excluded(
    db: &impl ConnectionTrait,
    query: Select<posts::Entity>,
    viewer: Option<i64>,
) -> Result<Select<posts::Entity>> {
    Ok(match viewer {
        Some(viewer) => excluding(query, &excluded_accounts(db, viewer).await?),
        None => excluding(query, &suspended_ids(db).await?),
    })
}

/// `author_id`'s posts and boosts that `viewer` may see: everything for the author;
/// public and unlisted ones for anyone, followers-only ones for an accepted
/// follower, and any that mention the viewer; local-only ones only for an
/// account of this instance; `None` (nothing) for someone the author blocks, and
/// for anyone else while the author is suspended.
pub async fn by_author(
    db: &impl ConnectionTrait,
    author_id: i64,
    viewer: Option<i64>,
) -> Result<Option<Select<posts::Entity>>> {
    let query = posts::Entity::find().filter(posts::Column::AccountId.eq(author_id));
    if viewer != Some(author_id) && is_suspended(db, author_id).await? {
        return Ok(None);
    }
    match viewer {
        Some(viewer) if viewer == author_id => Ok(Some(query)),
        Some(viewer) => {
            if block::blocks(db, author_id, viewer).await? {
                return Ok(None);
            }
            let follows = follow::find(db, viewer, author_id)
                .await?
                .is_some_and(|f| f.accepted);
            let mut seen = vec![Visibility::Public.name(), Visibility::Unlisted.name()];
            if follows {
                seen.push(Visibility::Private.name());
            }
            Ok(Some(
                query
                    .filter(
                        Condition::any()
                            .add(posts::Column::Visibility.is_in(seen))
                            .add(posts::Column::Id.in_subquery(mentioning(viewer))),
                    )
                    .filter(local_only_seen_by(Some(viewer))),
            ))
        }
        None => Ok(Some(seen_by_anyone(query, true))),
    }
}
