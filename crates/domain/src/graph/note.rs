//! Notes a person keeps about other accounts (Mastodon's account notes): private
//! to their writer, shown in the relationship an app reads, one per account.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::Result;
use crate::entities::account_notes;

/// The longest note, in characters (as Mastodon).
pub const MAX_NOTE_CHARS: usize = 2_000;

/// `account_id`'s note about `target_id` becomes `comment`; an empty (or blank)
/// comment removes the note.
pub async fn set(
    db: &impl ConnectionTrait,
    account_id: i64,
    target_id: i64,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    if comment.chars().count() > MAX_NOTE_CHARS {
        return Err(crate::Error::invalid(
            "comment",
            format!("is too long (at most {MAX_NOTE_CHARS} characters)"),
        ));
    }
    if comment.trim().is_empty() {
        account_notes::Entity::delete_many()
            .filter(account_notes::Column::AccountId.eq(account_id))
            .filter(account_notes::Column::TargetId.eq(target_id))
            .exec(db)
            .await?;
        return Ok(());
    }
    account_notes::Entity::insert(account_notes::ActiveModel {
        account_id: Set(account_id),
        target_id: Set(target_id),
        comment: Set(comment.to_owned()),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            account_notes::Column::AccountId,
            account_notes::Column::TargetId,
        ])
        .update_columns([
            account_notes::Column::Comment,
            account_notes::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// `account_id`'s note about `target_id`, empty when there is none.
pub async fn of(db: &impl ConnectionTrait, account_id: i64, target_id: i64) -> Result<String> {
    Ok(account_notes::Entity::find_by_id((account_id, target_id))
        .one(db)
        .await?
        .map(|row| row.comment)
        .unwrap_or_default())
}
