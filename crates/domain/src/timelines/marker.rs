//! Reading positions ("markers"): the last item a person read in their home timeline
//! and in their notifications, shared between their apps.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::markers;
use crate::{Error, Result};

/// The timelines that keep a position.
pub const TIMELINES: [&str; 2] = ["home", "notifications"];

/// A reading position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub timeline: String,
    pub last_read_id: i64,
    /// Grows with each change, so that apps can tell an old answer from a new one.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<markers::Model> for Marker {
    fn from(row: markers::Model) -> Self {
        Self {
            timeline: row.timeline,
            last_read_id: row.last_read_id,
            version: row.version,
            updated_at: row.updated_at,
        }
    }
}

/// `account_id`'s positions in `timelines` (unknown names are left out).
pub async fn get(
    db: &impl ConnectionTrait,
    account_id: i64,
    timelines: &[String],
) -> Result<Vec<Marker>> {
    let wanted: Vec<&str> = TIMELINES
        .into_iter()
        .filter(|t| timelines.iter().any(|w| w == t))
        .collect();
    Ok(markers::Entity::find()
        .filter(markers::Column::AccountId.eq(account_id))
        .filter(markers::Column::Timeline.is_in(wanted))
        .all(db)
        .await?
        .into_iter()
        .map(Marker::from)
        .collect())
}

/// Sets `account_id`'s position in `timeline` to `last_read_id`; the new marker.
pub async fn set(
    db: &impl ConnectionTrait,
    account_id: i64,
    timeline: &str,
    last_read_id: i64,
    now: DateTime<Utc>,
) -> Result<Marker> {
    if !TIMELINES.contains(&timeline) {
        return Err(Error::invalid("timeline", "must be home or notifications"));
    }
    let existing = markers::Entity::find_by_id((account_id, timeline.to_owned()))
        .one(db)
        .await?;
    let saved = match existing {
        Some(row) => {
            let version = row.version.saturating_add(1);
            let mut row: markers::ActiveModel = row.into();
            row.last_read_id = Set(last_read_id);
            row.version = Set(version);
            row.updated_at = Set(now);
            row.update(db).await?
        }
        None => {
            markers::ActiveModel {
                account_id: Set(account_id),
                timeline: Set(timeline.to_owned()),
                last_read_id: Set(last_read_id),
                version: Set(1),
                updated_at: Set(now),
            }
            .insert(db)
            .await?
        }
    };
    Ok(saved.into())
}
