//! Activities already received, by id, so that a re-delivered activity is applied
//! once.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::Result;
use crate::entities::received_activities;

/// Whether the activity `uri` was received (and applied) before.
pub async fn seen(db: &impl ConnectionTrait, uri: &str) -> Result<bool> {
    Ok(received_activities::Entity::find_by_id(uri.to_owned())
        .one(db)
        .await?
        .is_some())
}

/// Records that the activity `uri` was applied at `now`.
pub async fn record(db: &impl ConnectionTrait, uri: &str, now: DateTime<Utc>) -> Result<()> {
    let row = received_activities::ActiveModel {
        uri: Set(uri.to_owned()),
        received_at: Set(now),
    };
    match received_activities::Entity::insert(row).exec(db).await {
        Ok(_) => Ok(()),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
