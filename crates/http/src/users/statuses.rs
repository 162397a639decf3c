//! `/users/{username}/statuses/{id}`

use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use staffroom_domain::accounts::account::Account;
use staffroom_domain::posts::write;
use staffroom_domain::visibility::post::find_visible;
use staffroom_domain::{posts::post::Post, visibility::post::Viewer};
use staffroom_federation::objects::note;
use staffroom_federation::protocol::with_context;

use crate::error::{ApiError, ApiResult, gone_document};
use crate::path_id::{PathId, record_id};
use crate::signed_fetch::PageOrDocument;
use crate::{AppState, activity_json};

/// What a post URL should answer.
pub(crate) enum Answer {
    /// The `Note`, for a fetch that may see it.
    Document(Response),
    /// A page, for a browser (the post is public or unlisted).
    Page(Box<(Account, Post)>),
}

/// The post `id` (as the path has it) of the local person `username`, as the
/// request asks for it: see [`answer_for`].
pub(crate) async fn answer(
    state: &AppState,
    username: &str,
    id: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> ApiResult<Answer> {
    let asked = PageOrDocument::read(state, method, uri, headers).await?;
    answer_for(state, username, record_id(id)?, asked).await
}

/// The post `id` of the local person `username`, as the request asks for it: to a
/// fetch, if its signer may see it; to a browser, if anyone may. 404 otherwise, as
/// for a post that does not exist.
async fn answer_for(
    state: &AppState,
    username: &str,
    id: i64,
    asked: PageOrDocument,
) -> ApiResult<Answer> {
    let account = super::local_person(state, username).await?;
    let viewer = match asked {
        PageOrDocument::Document(viewer) => viewer,
        PageOrDocument::Page => Viewer::Anonymous,
    };
    let post = match find_visible(state.db(), id, viewer).await {
        Err(staffroom_domain::Error::NotFound(_))
            if matches!(asked, PageOrDocument::Document(_)) =>
        {
            // A post its author deleted is gone for good, and says so.
            return match write::deleted_at(state.db(), account.id, id).await? {
                Some(at) => {
                    let tombstone = note::tombstone(&state.urls().post(&account.username, id), at);
                    Ok(Answer::Document(gone_document(activity_json::respond(
                        &tombstone,
                    ))))
                }
                None => Err(ApiError::not_found()),
            };
        }
        found => found?,
    };
    if post.account_id != account.id || post.reblog_of_id.is_some() {
        return Err(ApiError::not_found());
    }
    match asked {
        PageOrDocument::Document(_) => {
            let extras = note::extras(state.db(), state.urls(), &post).await?;
            let note = note::note_of(state.urls(), &account, &post, &extras);
            Ok(Answer::Document(activity_json::respond(&with_context(
                note,
            ))))
        }
        PageOrDocument::Page => Ok(Answer::Page(Box::new((account, post)))),
    }
}

/// `GET /users/{username}/statuses/{id}`
pub async fn show(
    State(state): State<AppState>,
    PathId((username, id)): PathId<(String, i64)>,
    asked: PageOrDocument,
) -> ApiResult<Response> {
    match answer_for(&state, &username, id, asked).await? {
        Answer::Document(document) => Ok(document),
        Answer::Page(page) => {
            let (account, post) = *page;
            Ok(Redirect::to(&state.urls().post_page(&account.username, post.id)).into_response())
        }
    }
}
