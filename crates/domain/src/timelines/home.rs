//! Home: what a reader follows (people, groups, hashtags), what is written to them,
//! and their own posts; and whether one post is in it, for streaming.

use sea_orm::sea_query::{Expr, ExprTrait, Func, JoinType, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
    RelationTrait, Select,
};

use super::walk::{holds, merge};
use crate::Result;
use crate::communities::group;
use crate::entities::{follows, home_feed, post_tags, posts, tag_follows};
use crate::lists::member::exclusive_members;
use crate::page::Page;
use crate::posts::post::Post;
use crate::visibility::timeline::{
    direct_naming, excluded_accounts, excluding, listed_for, own_or_followed,
};

/// How many rows of the reader's feed one round of a page reads at most.
const FEED_WINDOW: u64 = 200;

/// How many rounds a page takes at most to fill itself, when the rules leave out
/// many of the rows read.
const MAX_FEED_ROUNDS: usize = 10;

/// `account_id`'s home: its own posts and boosts; the posts and boosts of the
/// accounts it follows that they may see (public, unlisted, followers-only); direct
/// posts that mention it; direct posts written to the closed groups it is a
/// member of; and public posts with a hashtag it follows. Blocked and muted
/// accounts stay out, and so do the posts of the members of its exclusive lists
/// (they are read in those lists).
///
/// The reader's feed (`timelines::home_feed`) names the candidates, newest first;
/// a page reads it a window at a time and keeps the posts the rule above still
/// lets in, so that a stale row (a follow ended, a block, a mute) is skipped and
/// the page fills from older rows.
pub async fn home(db: &impl ConnectionTrait, account_id: i64, page: Page) -> Result<Vec<Post>> {
    let posts = home_posts(db, account_id).await?;
    let rows = page_of_feed(db, account_id, posts, page).await?;
    Ok(merge(rows, page))
}

/// Whether post `post_id` is in `account_id`'s [`home`].
pub async fn in_home(db: &impl ConnectionTrait, account_id: i64, post_id: i64) -> Result<bool> {
    holds(db, home_posts(db, account_id).await?, post_id).await
}

/// The posts of `account_id`'s [`home`], whichever source brings them, blocked
/// and muted accounts left out: the rule every row of the feed is read through.
async fn home_posts(db: &impl ConnectionTrait, account_id: i64) -> Result<Select<posts::Entity>> {
    let followed = Query::select()
        .column(follows::Column::TargetId)
        .from(follows::Entity)
        .and_where(follows::Column::FollowerId.eq(account_id))
        .and_where(follows::Column::Accepted.eq(true))
        .and_where(follows::Column::TargetId.not_in_subquery(exclusive_members(account_id)))
        .to_owned();
    let in_groups = Condition::all()
        .add(posts::Column::Visibility.eq(crate::posts::post::Visibility::Direct.name()))
        .add(posts::Column::Id.in_subquery(group::posts_to_groups_of(account_id)));
    let with_followed_tag = Query::select()
        .expr(Expr::val(1))
        .from(post_tags::Entity)
        .inner_join(
            tag_follows::Entity,
            Expr::col((tag_follows::Entity, tag_follows::Column::TagId))
                .equals((post_tags::Entity, post_tags::Column::TagId)),
        )
        .and_where(
            Expr::col((post_tags::Entity, post_tags::Column::PostId))
                .equals((posts::Entity, posts::Column::Id)),
        )
        .and_where(Expr::col((tag_follows::Entity, tag_follows::Column::AccountId)).eq(account_id))
        .to_owned();
    let query = posts::Entity::find().filter(
        Condition::any()
            .add(own_or_followed(followed, account_id))
            .add(direct_naming(account_id))
            .add(in_groups)
            .add(listed_for(Some(account_id)).add(Expr::exists(with_followed_tag))),
    );
    Ok(excluding(query, &excluded_accounts(db, account_id).await?))
}

/// The posts of `posts` that `account_id`'s feed names, for `page`: newest first
/// (oldest first for `min_id`, for [`merge`] to turn). Each round is one query over
/// a window of [`FEED_WINDOW`] rows of the feed; a round that leaves the page
/// short is followed by one past its window, while the feed goes on.
async fn page_of_feed(
    db: &impl ConnectionTrait,
    account_id: i64,
    posts: Select<posts::Entity>,
    page: Page,
) -> Result<Vec<posts::Model>> {
    let wanted = page.limit();
    let oldest_first = page.min_id.is_some();
    let mut cursor = page;
    let mut rows = Vec::new();
    for _ in 0..MAX_FEED_ROUNDS {
        let feed = home_feed::Entity::find().filter(home_feed::Column::AccountId.eq(account_id));
        // The last row of this round's window, if the feed goes that far.
        let window_end = cursor
            .apply(feed, home_feed::Column::PostId)
            .select_only()
            .column(home_feed::Column::PostId)
            .offset(FEED_WINDOW - 1)
            .limit(1);
        let (edge, within): (i64, fn(SimpleExpr, SimpleExpr) -> SimpleExpr) = if oldest_first {
            (i64::MAX, |column, bound| column.lte(bound))
        } else {
            (0, |column, bound| column.gte(bound))
        };
        let bound = SimpleExpr::from(Func::coalesce([
            SimpleExpr::SubQuery(None, Box::new(window_end.clone().into_query().into())),
            Expr::val(edge),
        ]));
        let in_window = within(
            Expr::col((home_feed::Entity, home_feed::Column::PostId)),
            bound,
        );
        let remaining = wanted - u64::try_from(rows.len()).unwrap_or(wanted);
        let query = posts
            .clone()
            .join_rev(JoinType::InnerJoin, home_feed::Relation::Post.def())
            .filter(home_feed::Column::AccountId.eq(account_id))
            .filter(in_window);
        rows.extend(
            cursor
                .apply(query, home_feed::Column::PostId)
                .limit(remaining)
                .all(db)
                .await?,
        );
        if u64::try_from(rows.len()).unwrap_or(wanted) >= wanted {
            break;
        }
        let Some(end) = window_end.into_tuple::<i64>().one(db).await? else {
            break;
        };
        if oldest_first {
            cursor.min_id = Some(end);
        } else {
            cursor.max_id = Some(end);
        }
    }
    Ok(rows)
}
