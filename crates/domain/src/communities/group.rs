//! Groups (FEP-1b12): an account of kind `group` whose followers are its members.
//! Members address a post to the group (they mention it), and the group announces
//! it to every member. A group is **open** (anyone joins at once) or **closed**
//! (a moderator approves each request); its moderators answer requests and remove
//! members. The rules of who may do what live here, once.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::accounts::account::{self, Account, AccountKind};
use crate::entities::{accounts, closed_group_posts, follows, group_moderators, groups};
use crate::graph::follow;
use crate::posts::post::{Post, Visibility};
use crate::timelines::home_feed;
use crate::{Error, Result};

/// The most characters of a group's name.
pub const MAX_NAME_CHARS: usize = account::MAX_DISPLAY_NAME_CHARS;
/// The most characters of a group's description.
pub const MAX_DESCRIPTION_CHARS: usize = account::MAX_NOTE_CHARS;
/// The most characters of a group's rules.
pub const MAX_RULES_CHARS: usize = 5_000;
/// The most groups a page of the list holds.
pub const MAX_PAGE: u64 = 40;

/// Who may join a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Anyone may join and read.
    Open,
    /// A moderator approves each member.
    Closed,
}

impl Policy {
    /// The name stored and shown.
    pub fn name(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    /// The policy called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

/// A group of this instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's account: its handle is the username.
    pub account: Account,
    pub name: String,
    /// As typed.
    pub description: String,
    /// As typed.
    pub rules: String,
    pub policy: Policy,
    /// Who made it, while that account exists.
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl Group {
    fn from_row(account: Account, row: groups::Model) -> Self {
        Self {
            account,
            name: row.name,
            description: row.description,
            rules: row.rules,
            policy: Policy::from_name(&row.policy).unwrap_or(Policy::Closed),
            created_by: row.created_by,
            created_at: row.created_at,
        }
    }
}

/// What someone fills in to make a group.
#[derive(Debug, Clone)]
pub struct NewGroup {
    /// The handle: the group is `@handle@domain`.
    pub handle: String,
    pub name: String,
    pub description: String,
    pub rules: String,
    pub policy: Policy,
}

/// What a moderator changes; `None` keeps what is there.
#[derive(Debug, Clone, Default)]
pub struct GroupChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub rules: Option<String>,
    pub policy: Option<Policy>,
}

fn checked(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("is too long: use at most {max} characters"),
        ));
    }
    Ok(value.to_owned())
}

fn checked_name(name: &str) -> Result<String> {
    let name = checked("name", name, MAX_NAME_CHARS)?;
    if name.is_empty() {
        return Err(Error::invalid("name", "must not be empty"));
    }
    Ok(name)
}

/// Makes a group: its account (with a key pair), its row, `creator` as its first
/// moderator and member.
pub async fn create(
    db: &impl ConnectionTrait,
    creator: &Account,
    new: NewGroup,
    now: DateTime<Utc>,
) -> Result<Group> {
    if !creator.is_local() || creator.kind != AccountKind::Person {
        return Err(Error::Forbidden("only local people make groups".into()));
    }
    account::check_username(&new.handle)?;
    let name = checked_name(&new.name)?;
    let description = checked("description", &new.description, MAX_DESCRIPTION_CHARS)?;
    let rules = checked("rules", &new.rules, MAX_RULES_CHARS)?;
    if account::find_local(db, &new.handle).await?.is_some() {
        return Err(Error::Conflict(format!(
            "the handle {} is taken",
            new.handle
        )));
    }
    let acct = new.handle.to_lowercase();
    account::insert_service_actor(db, AccountKind::Group, &new.handle, &acct, &name).await?;
    let made = account::find_local(db, &new.handle)
        .await?
        .filter(|a| a.kind == AccountKind::Group)
        .ok_or_else(|| Error::Conflict(format!("the handle {} is taken", new.handle)))?;
    groups::ActiveModel {
        account_id: Set(made.id),
        name: Set(name),
        description: Set(description),
        rules: Set(rules),
        policy: Set(new.policy.name().to_owned()),
        created_by: Set(Some(creator.id)),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    group_moderators::ActiveModel {
        group_id: Set(made.id),
        account_id: Set(creator.id),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    sync_account(db, made.id).await?;
    let group = get(db, made.id).await?;
    // The creator is the group's first member; as its moderator, nobody else is
    // told of it.
    let (membership, _) = follow::record_request(db, creator, &group.account, None, now).await?;
    if !membership.accepted {
        follow::accept(db, membership.id).await?;
    }
    Ok(group)
}

/// Copies what a group's account shows (its name, description, whether it
/// approves members) from the group's row.
async fn sync_account(db: &impl ConnectionTrait, id: i64) -> Result<()> {
    let row = groups::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("group"))?;
    crate::entities::accounts::ActiveModel {
        id: Set(id),
        display_name: Set(row.name),
        note: Set(crate::html::paragraphs(&row.description)),
        locked: Set(row.policy != Policy::Open.name()),
        bot: Set(false),
        discoverable: Set(true),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// The local group whose account is `id`.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Group> {
    let row = groups::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("group"))?;
    let account = account::get(db, id).await?;
    Ok(Group::from_row(account, row))
}

/// The local group of the account `account`, if it is one.
pub async fn of_account(db: &impl ConnectionTrait, account: &Account) -> Result<Option<Group>> {
    if !account.is_local() || account.kind != AccountKind::Group {
        return Ok(None);
    }
    get(db, account.id).await.map(Some)
}

/// A page of this instance's groups, oldest first, skipping `offset`.
pub async fn list(db: &impl ConnectionTrait, offset: u64, limit: u64) -> Result<Vec<Group>> {
    let rows = groups::Entity::find()
        .order_by_asc(groups::Column::AccountId)
        .offset(offset)
        .limit(limit.min(MAX_PAGE))
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.account_id).collect();
    let accounts = account::get_many(db, &ids).await?;
    Ok(accounts
        .into_iter()
        .zip(rows)
        .map(|(account, row)| Group::from_row(account, row))
        .collect())
}

/// Whether `account_id` moderates the group `group_id`.
pub async fn is_moderator(
    db: &impl ConnectionTrait,
    group_id: i64,
    account_id: i64,
) -> Result<bool> {
    Ok(group_moderators::Entity::find_by_id((group_id, account_id))
        .one(db)
        .await?
        .is_some())
}

/// The moderators of the group `group_id`, first appointed first.
pub async fn moderators(db: &impl ConnectionTrait, group_id: i64) -> Result<Vec<i64>> {
    Ok(group_moderators::Entity::find()
        .filter(group_moderators::Column::GroupId.eq(group_id))
        .order_by_asc(group_moderators::Column::CreatedAt)
        .select_only()
        .column(group_moderators::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The groups `account_id` moderates (their account ids).
pub async fn moderated_by(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<i64>> {
    Ok(group_moderators::Entity::find()
        .filter(group_moderators::Column::AccountId.eq(account_id))
        .select_only()
        .column(group_moderators::Column::GroupId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The group moderated by `moderator_id` that `follower_id` asks to join, if
/// any: the request a moderator answers from a Mastodon app's list of follow
/// requests.
pub async fn request_answered_by(
    db: &impl ConnectionTrait,
    moderator_id: i64,
    follower_id: i64,
) -> Result<Option<i64>> {
    for group_id in moderated_by(db, moderator_id).await? {
        if follow::find(db, follower_id, group_id)
            .await?
            .is_some_and(|f| !f.accepted)
        {
            return Ok(Some(group_id));
        }
    }
    Ok(None)
}

/// `Forbidden` unless `account_id` moderates `group`.
pub async fn require_moderator(
    db: &impl ConnectionTrait,
    group: &Group,
    account_id: i64,
) -> Result<()> {
    if is_moderator(db, group.account.id, account_id).await? {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the group's moderators may do this".into(),
        ))
    }
}

/// Refuses a ban of `account_id` from the group `group_id` when they moderate it:
/// a moderator is removed from moderating first.
pub async fn require_bannable(
    db: &impl ConnectionTrait,
    group_id: i64,
    account_id: i64,
) -> Result<()> {
    if is_moderator(db, group_id, account_id).await? {
        Err(Error::invalid("account", "a moderator cannot be banned"))
    } else {
        Ok(())
    }
}

/// A moderator (`by`) makes `account` a moderator too: a person of this instance
/// (moderators sign in here) who is a member.
pub async fn add_moderator(
    db: &impl ConnectionTrait,
    group: &Group,
    by: &Account,
    account: &Account,
    now: DateTime<Utc>,
) -> Result<()> {
    use sea_orm::sea_query::OnConflict;
    require_moderator(db, group, by.id).await?;
    if !account.is_local() || account.kind != AccountKind::Person {
        return Err(Error::invalid(
            "account_id",
            "moderators are people of this instance",
        ));
    }
    if !is_member(db, group.account.id, account.id).await? {
        return Err(Error::invalid("account_id", "moderators are members first"));
    }
    group_moderators::Entity::insert(group_moderators::ActiveModel {
        group_id: Set(group.account.id),
        account_id: Set(account.id),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            group_moderators::Column::GroupId,
            group_moderators::Column::AccountId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A moderator (`by`) ends `account_id`'s moderation of the group; a group keeps
/// at least one moderator.
pub async fn remove_moderator(
    db: &impl ConnectionTrait,
    group: &Group,
    by: &Account,
    account_id: i64,
) -> Result<()> {
    require_moderator(db, group, by.id).await?;
    let current = moderators(db, group.account.id).await?;
    if !current.contains(&account_id) {
        return Err(Error::NotFound("moderator"));
    }
    if current.len() == 1 {
        return Err(Error::invalid(
            "account_id",
            "is the group's last moderator",
        ));
    }
    group_moderators::Entity::delete_by_id((group.account.id, account_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A moderator (`by`) changes the group; the group as it now is.
pub async fn update(
    db: &impl ConnectionTrait,
    group: &Group,
    by: &Account,
    change: GroupChange,
) -> Result<Group> {
    require_moderator(db, group, by.id).await?;
    let mut row = groups::ActiveModel {
        account_id: Set(group.account.id),
        ..Default::default()
    };
    if let Some(name) = &change.name {
        row.name = Set(checked_name(name)?);
    }
    if let Some(description) = &change.description {
        row.description = Set(checked("description", description, MAX_DESCRIPTION_CHARS)?);
    }
    if let Some(rules) = &change.rules {
        row.rules = Set(checked("rules", rules, MAX_RULES_CHARS)?);
    }
    if let Some(policy) = change.policy {
        row.policy = Set(policy.name().to_owned());
    }
    row.update(db).await?;
    sync_account(db, group.account.id).await?;
    get(db, group.account.id).await
}

/// Whether `account_id` is a member of the group `group_id` (its follow accepted).
pub async fn is_member(db: &impl ConnectionTrait, group_id: i64, account_id: i64) -> Result<bool> {
    Ok(follow::find(db, account_id, group_id)
        .await?
        .is_some_and(|f| f.accepted))
}

/// How many members the group `group_id` has.
pub async fn member_count(db: &impl ConnectionTrait, group_id: i64) -> Result<u64> {
    Ok(follow::counts(db, group_id).await?.0)
}

/// Whether the local group `group` announces `post` to its members: the author is
/// a member, the post is their own (not a boost) and may be shared (public or
/// unlisted).
pub async fn announces(db: &impl ConnectionTrait, group: &Account, post: &Post) -> Result<bool> {
    if !group.is_local() || group.kind != AccountKind::Group || post.reblog_of_id.is_some() {
        return Ok(false);
    }
    if !matches!(post.visibility, Visibility::Public | Visibility::Unlisted) {
        return Ok(false);
    }
    is_member(db, group.id, post.account_id).await
}

/// Whether `group` (a local group, or one elsewhere) is closed: its moderators
/// approve each member, and what is written to it reaches its members only. A
/// group elsewhere says so by approving its followers by hand.
pub fn is_closed(group: &Account) -> bool {
    group.kind == AccountKind::Group && group.locked
}

/// Whether `post` is written to the closed `group` (here or elsewhere): a direct
/// post (a boost is never one) that names the group. Such a post reaches the
/// group's members, and nobody else.
pub fn is_private_to(group: &Account, post: &Post) -> bool {
    is_closed(group) && post.visibility == Visibility::Direct && post.reblog_of_id.is_none()
}

/// Records that `post`, which names `group`, is written to it when it is (see
/// [`is_private_to`]) and its author is a member; whether it is. For a group
/// elsewhere, its author is a member of this instance.
pub async fn take_private_post(
    db: &impl ConnectionTrait,
    group: &Account,
    post: &Post,
    now: DateTime<Utc>,
) -> Result<bool> {
    if !is_private_to(group, post) || !is_member(db, group.id, post.account_id).await? {
        return Ok(false);
    }
    record_private_post(db, group.id, post.id, now).await?;
    Ok(true)
}

/// Records that the post `post_id` is written to the group `group_id`, as the
/// group itself passed it on (the group vouches for its members: see
/// `federation::groups`). Recording it twice is harmless.
pub async fn record_private_post(
    db: &impl ConnectionTrait,
    group_id: i64,
    post_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    use sea_orm::sea_query::OnConflict;
    closed_group_posts::Entity::insert(closed_group_posts::ActiveModel {
        group_id: Set(group_id),
        post_id: Set(post_id),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            closed_group_posts::Column::GroupId,
            closed_group_posts::Column::PostId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    home_feed::add_post(db, post_id).await
}

/// Whether the post `post_id` is written to the group `group_id`.
pub async fn has_private_post(
    db: &impl ConnectionTrait,
    group_id: i64,
    post_id: i64,
) -> Result<bool> {
    Ok(closed_group_posts::Entity::find_by_id((group_id, post_id))
        .one(db)
        .await?
        .is_some())
}

/// The groups (their account ids) the post `post_id` is written to.
pub async fn groups_of_private_post(db: &impl ConnectionTrait, post_id: i64) -> Result<Vec<i64>> {
    Ok(closed_group_posts::Entity::find()
        .filter(closed_group_posts::Column::PostId.eq(post_id))
        .select_only()
        .column(closed_group_posts::Column::GroupId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The latest `limit` posts written to the group `group_id` (their ids), newest
/// first: what a new member catches up with.
pub async fn latest_private_posts(
    db: &impl ConnectionTrait,
    group_id: i64,
    limit: u64,
) -> Result<Vec<i64>> {
    Ok(closed_group_posts::Entity::find()
        .filter(closed_group_posts::Column::GroupId.eq(group_id))
        .order_by_desc(closed_group_posts::Column::PostId)
        .limit(limit)
        .select_only()
        .column(closed_group_posts::Column::PostId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The announces of the post `post_id` by this instance's groups (their boosts
/// of it).
pub async fn announces_of(db: &impl ConnectionTrait, post_id: i64) -> Result<Vec<Post>> {
    use crate::entities::posts;
    let rows = posts::Entity::find()
        .filter(posts::Column::ReblogOfId.eq(post_id))
        .filter(
            posts::Column::AccountId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(groups::Column::AccountId)
                    .from(groups::Entity)
                    .to_owned(),
            ),
        )
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Post::from).collect())
}

/// A moderator takes `post_id` out of the closed group `group_id`: its members no
/// longer see it through the group. `false` when it was not written to the group.
pub async fn drop_private_post(
    db: &impl ConnectionTrait,
    group_id: i64,
    post_id: i64,
) -> Result<bool> {
    let result = closed_group_posts::Entity::delete_many()
        .filter(closed_group_posts::Column::GroupId.eq(group_id))
        .filter(closed_group_posts::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// The groups, here or elsewhere, `account_id` is a member of (their account
/// ids), as a subquery.
pub(crate) fn groups_of(account_id: i64) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::Query;
    Query::select()
        .column(follows::Column::TargetId)
        .from(follows::Entity)
        .and_where(follows::Column::FollowerId.eq(account_id))
        .and_where(follows::Column::Accepted.eq(true))
        .and_where(
            follows::Column::TargetId.in_subquery(
                Query::select()
                    .column(accounts::Column::Id)
                    .from(accounts::Entity)
                    .and_where(accounts::Column::Kind.eq(AccountKind::Group.as_str()))
                    .to_owned(),
            ),
        )
        .to_owned()
}

/// The posts written to the groups `account_id` is a member of, as a subquery.
pub(crate) fn posts_to_groups_of(account_id: i64) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::Query;
    Query::select()
        .column(closed_group_posts::Column::PostId)
        .from(closed_group_posts::Entity)
        .and_where(closed_group_posts::Column::GroupId.in_subquery(groups_of(account_id)))
        .to_owned()
}

/// How many requests to join the group `group_id` wait for a moderator.
pub async fn pending_count(db: &impl ConnectionTrait, group_id: i64) -> Result<u64> {
    follow::pending_count(db, group_id).await
}

/// How many local groups there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(groups::Entity::find().count(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_round_trip_by_name() {
        for policy in [Policy::Open, Policy::Closed] {
            assert_eq!(Policy::from_name(policy.name()), Some(policy));
        }
        assert_eq!(Policy::from_name("secret"), None);
    }

    #[test]
    fn names_are_required_and_bounded() {
        assert!(checked_name("  ").is_err());
        assert!(checked_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
        assert_eq!(checked_name(" Finance ").ok().as_deref(), Some("Finance"));
    }
}
