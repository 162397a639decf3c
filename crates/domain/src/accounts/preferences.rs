//! A person's preferences: the visibility, language and sensitivity their posts
//! have when they say none (Mastodon's `posting:default:*`), used by every way of writing a post.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::entities::preferences;
use crate::posts::post::Visibility;
use crate::{Error, Result};

/// What a person's posts are when they say nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    /// Who sees a post by default.
    pub visibility: Visibility,
    /// The language of a post by default (an ISO 639 code), or none.
    pub language: Option<String>,
    /// Whether a post is marked sensitive (its media hidden) by default.
    pub sensitive: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            visibility: Visibility::Public,
            language: None,
            sensitive: false,
        }
    }
}

/// `account_id`'s preferences (the defaults when they chose none).
pub async fn get(db: &impl ConnectionTrait, account_id: i64) -> Result<Preferences> {
    let Some(row) = preferences::Entity::find_by_id(account_id).one(db).await? else {
        return Ok(Preferences::default());
    };
    Ok(Preferences {
        visibility: Visibility::from_name(&row.default_visibility).unwrap_or(Visibility::Public),
        language: row.default_language,
        sensitive: row.default_sensitive,
    })
}

/// `language` as stored: `None` for empty, else a two- or three-letter ISO 639
/// code in lower case.
pub fn checked_language(language: Option<&str>) -> Result<Option<String>> {
    let Some(language) = language.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    let code = language.to_ascii_lowercase();
    if (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase()) {
        Ok(Some(code))
    } else {
        Err(Error::invalid(
            "language",
            "must be a two- or three-letter ISO 639 code, such as en or cy",
        ))
    }
}

/// Sets `account_id`'s preferences; what they are now.
pub async fn set(
    db: &impl ConnectionTrait,
    account_id: i64,
    chosen: Preferences,
    now: DateTime<Utc>,
) -> Result<Preferences> {
    let language = checked_language(chosen.language.as_deref())?;
    preferences::Entity::insert(preferences::ActiveModel {
        account_id: Set(account_id),
        default_visibility: Set(chosen.visibility.name().to_owned()),
        default_language: Set(language.clone()),
        default_sensitive: Set(chosen.sensitive),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(preferences::Column::AccountId)
            .update_columns([
                preferences::Column::DefaultVisibility,
                preferences::Column::DefaultLanguage,
                preferences::Column::DefaultSensitive,
                preferences::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(Preferences {
        visibility: chosen.visibility,
        language,
        sensitive: chosen.sensitive,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_is_an_iso_639_code_or_nothing() {
        assert_eq!(checked_language(None).unwrap(), None);
        assert_eq!(checked_language(Some(" ")).unwrap(), None);
        assert_eq!(checked_language(Some("EN")).unwrap().as_deref(), Some("en"));
        assert_eq!(
            checked_language(Some("cym")).unwrap().as_deref(),
            Some("cym")
        );
        for bad in ["e", "english", "e1", "en-GB"] {
            assert!(checked_language(Some(bad)).is_err(), "{bad}");
        }
    }
}
