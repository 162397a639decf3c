//! Mastodon's filter entities: `Filter` (v2) with its `FilterKeyword`s and
//! `FilterStatus`es, the `FilterResult` a matched status carries in `filtered`,
//! and the v1 `V1::Filter`, one per keyword.

use serde::Serialize;
use staffroom_domain::filters::filter::{Action, Filter, FilteredPost, Keyword};
use staffroom_domain::filters::matching::FilterMatch;

use super::timestamp;

/// `FilterKeyword`
#[derive(Debug, Clone, Serialize)]
pub struct FilterKeywordEntity {
    pub id: String,
    pub keyword: String,
    pub whole_word: bool,
}

impl From<&Keyword> for FilterKeywordEntity {
    fn from(keyword: &Keyword) -> Self {
        Self {
            id: keyword.id.to_string(),
            keyword: keyword.keyword.clone(),
            whole_word: keyword.whole_word,
        }
    }
}

/// `FilterStatus`
#[derive(Debug, Clone, Serialize)]
pub struct FilterStatusEntity {
    pub id: String,
    pub status_id: String,
}

impl From<&FilteredPost> for FilterStatusEntity {
    fn from(post: &FilteredPost) -> Self {
        Self {
            id: post.id.to_string(),
            status_id: post.post_id.to_string(),
        }
    }
}

/// `Filter` (v2)
#[derive(Debug, Clone, Serialize)]
pub struct FilterEntity {
    pub id: String,
    pub title: String,
    pub context: Vec<&'static str>,
    pub expires_at: Option<String>,
    pub filter_action: &'static str,
    pub keywords: Vec<FilterKeywordEntity>,
    pub statuses: Vec<FilterStatusEntity>,
}

impl From<&Filter> for FilterEntity {
    fn from(filter: &Filter) -> Self {
        Self {
            id: filter.id.to_string(),
            title: filter.title.clone(),
            context: filter.contexts.iter().map(|c| c.name()).collect(),
            expires_at: filter.expires_at.map(timestamp),
            filter_action: filter.action.name(),
            keywords: filter.keywords.iter().map(Into::into).collect(),
            statuses: filter.statuses.iter().map(Into::into).collect(),
        }
    }
}

/// `FilterResult`, as a status's `filtered` lists them.
pub fn result(found: &FilterMatch) -> serde_json::Value {
    serde_json::json!({
        "filter": FilterEntity::from(&found.filter),
        "keyword_matches": found.keyword_matches,
        "status_matches": found
            .status_matches
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>(),
    })
}

/// `V1::Filter`: one keyword of a filter, as the first filters API showed them.
#[derive(Debug, Clone, Serialize)]
pub struct V1FilterEntity {
    pub id: String,
    pub phrase: String,
    pub context: Vec<&'static str>,
    pub whole_word: bool,
    pub expires_at: Option<String>,
    pub irreversible: bool,
}

impl V1FilterEntity {
    pub fn new(filter: &Filter, keyword: &Keyword) -> Self {
        Self {
            id: keyword.id.to_string(),
            phrase: keyword.keyword.clone(),
            context: filter.contexts.iter().map(|c| c.name()).collect(),
            whole_word: keyword.whole_word,
            expires_at: filter.expires_at.map(timestamp),
            irreversible: filter.action == Action::Hide,
        }
    }
}
