//! Invites: codes that let someone sign up while registrations are by invitation.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
};

use crate::entities::invites;
use crate::{Error, Result, access::credentials, id};

/// How many characters an invite code has.
const CODE_CHARS: usize = 12;

/// An invite code and how much of it is left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub id: i64,
    pub code: String,
    /// The account that made it; `None` when an administrator made it from the
    /// command line.
    pub created_by: Option<i64>,
    /// `None` for no limit.
    pub max_uses: Option<i32>,
    pub uses: i32,
    /// `None` for never.
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Invite {
    /// Whether someone may still sign up with it at `now`.
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.max_uses.is_none_or(|max| self.uses < max)
            && self.expires_at.is_none_or(|expiry| now < expiry)
    }
}

impl From<invites::Model> for Invite {
    fn from(row: invites::Model) -> Self {
        Self {
            id: row.id,
            code: row.code,
            created_by: row.created_by,
            max_uses: row.max_uses,
            uses: row.uses,
            expires_at: row.expires_at,
            created_at: row.created_at,
        }
    }
}

/// What a new invite allows.
#[derive(Debug, Clone, Default)]
pub struct NewInvite {
    pub created_by: Option<i64>,
    pub max_uses: Option<i32>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Makes a new invite with a fresh random code.
pub async fn create(db: &impl ConnectionTrait, new: NewInvite) -> Result<Invite> {
    let now = Utc::now();
    if new.max_uses.is_some_and(|max| max < 1) {
        return Err(Error::invalid("max_uses", "must be at least 1"));
    }
    if new.expires_at.is_some_and(|expiry| expiry <= now) {
        return Err(Error::invalid("expires_at", "must be in the future"));
    }
    let row = invites::ActiveModel {
        id: Set(id::new_id(now)),
        code: Set(credentials::random_code(CODE_CHARS)),
        created_by: Set(new.created_by),
        max_uses: Set(new.max_uses),
        uses: Set(0),
        expires_at: Set(new.expires_at),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(row.into())
}

/// The invite with `code` if someone may still sign up with it at `now`.
pub async fn find_usable(
    db: &impl ConnectionTrait,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Invite> {
    invites::Entity::find()
        .filter(invites::Column::Code.eq(code))
        .one(db)
        .await?
        .map(Invite::from)
        .filter(|invite| invite.is_usable(now))
        .ok_or(Error::NotFound("invite"))
}

/// Counts one use of `invite` at `now`, unless it ran out meanwhile (another sign-up
/// took its last use, or it expired): then `NotFound`, and nothing changes.
pub async fn redeem(db: &impl ConnectionTrait, invite: &Invite, now: DateTime<Utc>) -> Result<()> {
    let counted = invites::Entity::update_many()
        .col_expr(
            invites::Column::Uses,
            Expr::col(invites::Column::Uses).add(1),
        )
        .filter(invites::Column::Id.eq(invite.id))
        .filter(
            Condition::any()
                .add(invites::Column::MaxUses.is_null())
                .add(Expr::col(invites::Column::Uses).lt(Expr::col(invites::Column::MaxUses))),
        )
        .filter(
            Condition::any()
                .add(invites::Column::ExpiresAt.is_null())
                .add(invites::Column::ExpiresAt.gt(now)),
        )
        .exec(db)
        .await?;
    if counted.rows_affected == 1 {
        Ok(())
    } else {
        Err(Error::NotFound("invite"))
    }
}

/// A page of the invites, newest first.
pub async fn list(db: &impl ConnectionTrait, page: crate::page::Page) -> Result<Vec<Invite>> {
    let mut rows = page
        .apply(invites::Entity::find(), invites::Column::Id)
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows.into_iter().map(Invite::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn invite(max_uses: Option<i32>, uses: i32, expires_at: Option<DateTime<Utc>>) -> Invite {
        Invite {
            id: 1,
            code: "abc".into(),
            created_by: None,
            max_uses,
            uses,
            expires_at,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn an_invite_runs_out_by_uses_or_by_time() {
        let now = Utc::now();
        assert!(invite(None, 100, None).is_usable(now));
        assert!(invite(Some(2), 1, None).is_usable(now));
        assert!(!invite(Some(2), 2, None).is_usable(now));
        assert!(invite(None, 0, Some(now + TimeDelta::hours(1))).is_usable(now));
        assert!(!invite(None, 0, Some(now)).is_usable(now));
    }
}
