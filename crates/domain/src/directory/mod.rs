//! The school-leader directory: trusts, their schools, and the leaders in them.
//!
//! Trusts and schools are organisations with an account of their own (kind
//! `organization`), so that people on any server can follow them; a leader profile
//! sits beside a person's account. Remote trusts, schools and leaders that this
//! instance has heard of are kept in the same tables, their accounts naming their
//! server. Who may change what is decided here, once: an instance admin may change
//! everything local, a trust admin their trust, its schools and the confirmation of
//! its members, and a person their own leader profile.

pub mod import;
pub mod leader;
pub mod remote;
pub mod school;
pub mod terms;
pub mod trust;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::access::user::Role;
use crate::accounts::account::{self, Account, AccountKind, ProfileField};
use crate::entities::{accounts, schools, trust_admins, trusts, users};
use crate::{Error, Result};

pub use terms::{InspectionGrade, LeaderRole, Phase, Region, TrustKind};

/// The most characters of an organisation's name.
pub const MAX_NAME_CHARS: usize = 200;
/// The most characters of a trust's description.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;
/// The most characters of a website address.
pub const MAX_WEBSITE_CHARS: usize = 2_048;
/// The most characters of a local authority's or a school type's name.
pub const MAX_SHORT_TEXT_CHARS: usize = 100;

/// Who makes a change: a person signed in with their account, or the instance's
/// operator at the command line (who may do anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editor {
    /// The operator, through `staffroom admin`.
    Operator,
    /// A local account.
    Account(i64),
}

/// Whether `editor` administers the whole instance.
pub async fn is_instance_admin(db: &impl ConnectionTrait, editor: Editor) -> Result<bool> {
    match editor {
        Editor::Operator => Ok(true),
        Editor::Account(id) => Ok(users::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some_and(|user| user.role == Role::Admin.name() && !user.disabled)),
    }
}

/// Whether `editor` may change the trust `trust_id`: an instance admin, or one of
/// the trust's admins. A remote trust is changed on its own server only.
pub async fn may_edit_trust(
    db: &impl ConnectionTrait,
    editor: Editor,
    trust_id: i64,
) -> Result<bool> {
    if is_instance_admin(db, editor).await? {
        return Ok(true);
    }
    let Editor::Account(account_id) = editor else {
        return Ok(false);
    };
    Ok(trust_admins::Entity::find_by_id((trust_id, account_id))
        .one(db)
        .await?
        .is_some())
}

/// Refuses unless `editor` may change the trust `trust_id`.
pub(crate) async fn require_trust_editor(
    db: &impl ConnectionTrait,
    editor: Editor,
    trust_id: i64,
    name: &str,
) -> Result<()> {
    if may_edit_trust(db, editor, trust_id).await? {
        Ok(())
    } else {
        Err(Error::Forbidden(format!(
            "only an admin of {name} or of this instance may do this"
        )))
    }
}

/// Refuses unless `editor` administers the instance.
pub(crate) async fn require_instance_admin(
    db: &impl ConnectionTrait,
    editor: Editor,
) -> Result<()> {
    if is_instance_admin(db, editor).await? {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only an admin of this instance may do this".to_owned(),
        ))
    }
}

/// The local trust or school `account_id`, when `editor` may post as it: for a
/// trust, its admins; for a school, the admins of its trust; and instance admins.
pub async fn poster(db: &impl ConnectionTrait, editor: Editor, account_id: i64) -> Result<Account> {
    let org = account::get(db, account_id).await?;
    if org.kind != AccountKind::Organization || !org.is_local() {
        return Err(Error::NotFound("trust or school"));
    }
    if is_instance_admin(db, editor).await? {
        return Ok(org);
    }
    let trust_id = match schools::Entity::find_by_id(account_id).one(db).await? {
        Some(school) => school.trust_id,
        None => Some(account_id),
    };
    match trust_id {
        Some(trust_id) => {
            require_trust_editor(db, editor, trust_id, org.shown_name()).await?;
            Ok(org)
        }
        None => require_instance_admin(db, editor).await.map(|()| org),
    }
}

/// A trust or school another record points at: its account, name and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRef {
    pub account: Account,
    pub name: String,
    pub region: Option<Region>,
    /// A school's local authority.
    pub local_authority: Option<String>,
}

impl OrgRef {
    /// Where it is, as people say it: the local authority, or else the region.
    pub fn place(&self) -> Option<&str> {
        self.local_authority
            .as_deref()
            .or_else(|| self.region.map(Region::label))
    }
}

/// The accounts with these ids, by id.
pub(crate) async fn accounts_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Account>> {
    let ids: Vec<i64> = ids.into_iter().collect();
    Ok(account::get_many(db, &ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

/// The trusts and schools among `ids`, by id (missing ones left out).
pub(crate) async fn org_refs(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, OrgRef>> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut named: HashMap<i64, (String, Option<String>, Option<String>)> = HashMap::new();
    for row in trusts::Entity::find()
        .filter(trusts::Column::AccountId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        named.insert(row.account_id, (row.name, row.region, None));
    }
    for row in schools::Entity::find()
        .filter(schools::Column::AccountId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        named.insert(row.account_id, (row.name, row.region, row.local_authority));
    }
    let accounts = accounts_by_id(db, ids).await?;
    Ok(accounts
        .into_values()
        .filter_map(|account| {
            let (name, region, local_authority) = named.remove(&account.id)?;
            Some((
                account.id,
                OrgRef {
                    account,
                    name,
                    region: region.as_deref().map(Region::from_stored),
                    local_authority,
                },
            ))
        })
        .collect())
}

/// `value` trimmed, refused when empty or longer than `max` characters.
pub(crate) fn required_text(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    optional_text(field, value, max).map(|v| v.unwrap_or_default())
}

/// `value` trimmed (`None` when empty), refused when longer than `max` characters.
pub(crate) fn optional_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<Option<String>> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("is too long: use at most {max} characters"),
        ));
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// A website address: empty for none, otherwise an absolute `http(s)` URL.
pub(crate) fn website(value: &str) -> Result<Option<String>> {
    let Some(value) = optional_text("website", value, MAX_WEBSITE_CHARS)? else {
        return Ok(None);
    };
    match url::Url::parse(&value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
            Ok(Some(value))
        }
        _ => Err(Error::invalid(
            "website",
            "must be an http or https address",
        )),
    }
}

/// A profile field of an organisation: its value typed as plain text.
pub(crate) fn field(name: &str, value: &str) -> ProfileField {
    ProfileField {
        name: name.to_owned(),
        value: account::field_html(value),
        source: Some(value.to_owned()),
    }
}

/// Inserts the account of a new local organisation, without keys yet (see
/// [`account::ensure_keys`]); a taken name is a conflict.
pub(crate) async fn insert_org_account(
    db: &impl ConnectionTrait,
    username: &str,
    display_name: &str,
    note: &str,
    fields: &[ProfileField],
    now: DateTime<Utc>,
) -> Result<Account> {
    use sea_orm::ActiveModelTrait;
    let row = accounts::ActiveModel {
        id: Set(crate::id::new_id(now)),
        kind: Set(AccountKind::Organization.as_str().to_owned()),
        acct: Set(username.to_lowercase()),
        username: Set(username.to_owned()),
        domain: Set(None),
        display_name: Set(display_name
            .chars()
            .take(account::MAX_DISPLAY_NAME_CHARS)
            .collect()),
        note: Set(crate::html::paragraphs(note)),
        locked: Set(false),
        bot: Set(false),
        discoverable: Set(true),
        uri: Set(None),
        public_key_pem: Set(String::new()),
        private_key_pem: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        fields: Set(account::fields_json(fields)),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            Error::Conflict(format!("the name '{username}' is already taken"))
        }
        _ => Error::Database(e),
    })?;
    Ok(row.into())
}

/// Writes what a local organisation's account shows: its name, note and fields.
pub(crate) async fn update_org_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    display_name: &str,
    note: &str,
    fields: &[ProfileField],
    now: DateTime<Utc>,
) -> Result<Account> {
    use sea_orm::ActiveModelTrait;
    let row = accounts::ActiveModel {
        id: Set(account_id),
        display_name: Set(display_name
            .chars()
            .take(account::MAX_DISPLAY_NAME_CHARS)
            .collect()),
        note: Set(crate::html::paragraphs(note)),
        fields: Set(account::fields_json(fields)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(row.into())
}

/// The most characters of a name searched for in a listing.
pub const MAX_NAME_QUERY_CHARS: usize = 100;

/// That `column`'s text contains `text`, in any case (`%`, `_` and `\` in `text`
/// are taken as they are, not as patterns). An empty `text` matches everything.
pub(crate) fn contains_text(
    column: impl sea_orm::sea_query::IntoColumnRef,
    text: &str,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
    let mut pattern = String::from("%");
    for c in text
        .trim()
        .chars()
        .take(MAX_NAME_QUERY_CHARS)
        .flat_map(char::to_lowercase)
    {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Expr::expr(Func::lower(Expr::col(column))).like(LikeExpr::new(pattern).escape('\\'))
}

/// Whether a listing holds this instance's records, other servers', or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// Both.
    #[default]
    Any,
    /// This instance's only.
    Local,
    /// Other servers' only.
    Remote,
}

/// That `column` holds the id of an account of `origin` (always true for any).
pub(crate) fn of_origin(column: impl ColumnTrait, origin: Origin) -> sea_orm::Condition {
    use sea_orm::sea_query::Query;
    let domain = match origin {
        Origin::Any => return sea_orm::Condition::all(),
        Origin::Local => accounts::Column::Domain.is_null(),
        Origin::Remote => accounts::Column::Domain.is_not_null(),
    };
    sea_orm::Condition::all().add(
        column.in_subquery(
            Query::select()
                .column(accounts::Column::Id)
                .from(accounts::Entity)
                .and_where(domain)
                .to_owned(),
        ),
    )
}
