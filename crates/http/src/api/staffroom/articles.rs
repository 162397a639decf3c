//! `/api/staffroom/v1/articles`: long-form articles — writing one (title,
//! summary, Markdown body, cover), listing a person's, reading, editing and
//! deleting one, and the author hiding a comment. An article is a post: it is
//! also a status in Mastodon apps (its title, summary and a link), its replies
//! are its comments (read them with `GET /api/v1/statuses/{id}/context`), and it
//! is seen as its post's visibility allows.

use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::media;
use staffroom_domain::posts::article::{self, Article, NewArticle};
use staffroom_domain::posts::post::{Post, Visibility};
use staffroom_domain::visibility::post::{Viewer, find_visible};
use staffroom_federation::{LocalUrls, publish};
use utoipa::ToSchema;

use super::openapi::{ErrorBody, OffsetParams};
use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::entities::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::path_id::PathId;

/// An article's author.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleAuthor {
    pub id: String,
    /// `user` here, `user@domain` elsewhere.
    pub acct: String,
    pub display_name: String,
    #[schema(format = "uri")]
    pub url: String,
}

/// An article's cover picture.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleCover {
    /// Its media attachment's id (this instance's articles).
    pub id: Option<String>,
    #[schema(format = "uri")]
    pub url: String,
    pub description: Option<String>,
}

/// An article as this API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Article)]
pub struct ArticleEntity {
    /// Its post's id: the same as its status's.
    pub id: String,
    #[schema(format = "uri")]
    pub uri: String,
    /// Its page.
    #[schema(format = "uri")]
    pub url: String,
    pub local: bool,
    pub title: String,
    pub summary: String,
    /// Its body: sanitised HTML.
    pub body_html: String,
    /// The Markdown it was written in (this instance's articles).
    pub body_markdown: Option<String>,
    pub cover: Option<ArticleCover>,
    pub visibility: String,
    pub author: ArticleAuthor,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub edited_at: Option<String>,
    /// For the article's author: the ids of the comments they hid.
    pub hidden_comment_ids: Option<Vec<String>>,
}

fn profile_url(urls: &LocalUrls, account: &Account) -> String {
    match &account.remote {
        None => urls.profile(&account.username),
        Some(remote) => remote
            .url
            .clone()
            .or_else(|| account.uri.clone())
            .unwrap_or_default(),
    }
}

/// The entity of `found`, the article of `post`, as `viewer` sees it.
pub(crate) async fn entity(
    state: &AppState,
    post: &Post,
    found: &Article,
    viewer: Option<&Account>,
) -> ApiResult<ArticleEntity> {
    let db = state.db();
    let urls = state.urls();
    let author = account::get(db, post.account_id).await?;
    let cover = match (found.cover_media_id, &found.cover_url) {
        (Some(id), _) => media::of_post(db, post.id)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .and_then(|m| {
                let url = m.file.as_deref().map(|file| urls.media(file))?;
                Some(ArticleCover {
                    id: Some(m.id.to_string()),
                    url,
                    description: m.description,
                })
            }),
        (None, Some(url)) => Some(ArticleCover {
            id: None,
            url: url.clone(),
            description: None,
        }),
        (None, None) => None,
    };
    let hidden_comment_ids = match viewer {
        Some(viewer) if viewer.id == post.account_id => Some(
            article::hidden_comments(db, post.id)
                .await?
                .into_iter()
                .map(|id| id.to_string())
                .collect(),
        ),
        _ => None,
    };
    Ok(ArticleEntity {
        id: post.id.to_string(),
        uri: post
            .uri
            .clone()
            .unwrap_or_else(|| urls.post(&author.username, post.id)),
        url: if post.local {
            urls.article_page(&author.username, post.id)
        } else {
            post.url
                .clone()
                .or_else(|| post.uri.clone())
                .unwrap_or_default()
        },
        local: post.local,
        title: found.title.clone(),
        summary: found.summary.clone(),
        body_html: found.body_html.clone(),
        body_markdown: found.markdown.clone(),
        cover,
        visibility: post.visibility.name().to_owned(),
        author: ArticleAuthor {
            id: author.id.to_string(),
            acct: author.acct(),
            display_name: author.display_name.clone(),
            url: profile_url(urls, &author),
        },
        created_at: timestamp(post.created_at),
        edited_at: post.edited_at.map(timestamp),
        hidden_comment_ids,
    })
}

/// The article of post `id` and its post, as `viewer` may see it.
pub(crate) async fn find(state: &AppState, id: i64, viewer: Viewer) -> ApiResult<(Post, Article)> {
    let post = find_visible(state.db(), id, viewer)
        .await
        .map_err(|_| ApiError::not_found())?;
    let found = article::get(state.db(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok((post, found))
}

/// An article as its author writes it, in JSON or a form.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ArticleForm {
    /// At most 200 characters.
    pub title: String,
    /// Plain text, at most 500 characters.
    #[serde(default)]
    pub summary: Option<String>,
    /// Markdown (headings, lists, links, quotes, code; pictures from the
    /// author's uploads, as `![description](/media/...)`), at most 100000
    /// characters.
    pub body: String,
    /// One of the author's uploads (`POST /api/v2/media`), not used by a post yet.
    #[serde(default)]
    pub cover_media_id: Option<String>,
    /// `public` (the default), `unlisted`, `private` or `direct`; kept when editing.
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
}

fn blank_to_none(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl ArticleForm {
    /// The article asked for, and who may see it.
    pub(crate) fn read(&self) -> ApiResult<(NewArticle, Visibility)> {
        let visibility = match blank_to_none(&self.visibility) {
            None => Visibility::Public,
            Some(name) => Visibility::from_name(&name).ok_or_else(|| {
                ApiError::unprocessable(
                    "Validation failed: visibility must be public, unlisted, private or direct",
                )
            })?,
        };
        let cover_media_id = match blank_to_none(&self.cover_media_id) {
            None => None,
            Some(id) => Some(id.parse::<i64>().map_err(|_| {
                ApiError::unprocessable("Validation failed: cover_media_id is not an upload")
            })?),
        };
        let new = NewArticle {
            title: self.title.clone(),
            summary: self.summary.clone().unwrap_or_default(),
            body: self.body.clone(),
            cover_media_id,
        };
        article::check(&new)?;
        Ok((new, visibility))
    }
}

/// Publishes the article `form` for `author`: its post is written and federated.
pub(crate) async fn publish_article(
    state: &AppState,
    author: &Account,
    form: &ArticleForm,
) -> ApiResult<Post> {
    let (new, visibility) = form.read()?;
    let draft = publish::Draft {
        text: String::new(),
        visibility,
        spoiler_text: String::new(),
        sensitive: false,
        language: blank_to_none(&form.language).filter(|l| l.len() <= 16),
        in_reply_to_id: None,
        media_ids: new.cover_media_id.into_iter().collect(),
        poll: None,
        event: None,
        article: Some(new),
        local_only: false,
    };
    Ok(publish::create_post(&state.federation(), author, draft).await?)
}

/// Changes the article `id` of `author` to `form`, and federates the change.
pub(crate) async fn edit_article(
    state: &AppState,
    author: &Account,
    id: i64,
    form: &ArticleForm,
) -> ApiResult<Post> {
    let (new, _) = form.read()?;
    Ok(publish::edit_article(&state.federation(), author, id, &new).await?)
}

/// `POST /api/staffroom/v1/articles`
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/articles",
    operation_id = "createArticle",
    summary = "Publish an article: it is posted (a status with its title, summary and link in Mastodon apps, an Article elsewhere) and federated.",
    request_body = ArticleForm,
    responses(
        (status = 200, description = "The article.", body = ArticleEntity),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 422, description = "The article is refused (empty, too long, a cover that is not the author's unused upload): the reason says why.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(form): FormOrJson<ArticleForm>,
) -> ApiResult<Json<ArticleEntity>> {
    auth.require(&["write", "write:statuses"])?;
    let me = auth.account()?;
    let post = publish_article(&state, me, &form).await?;
    as_author_sees_it(&state, me, post.id).await
}

/// The filters of `GET /articles`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    account_id: Option<String>,
    offset: Option<String>,
    limit: Option<String>,
}

fn signed_in(auth: &Option<Auth>) -> ApiResult<Option<&Account>> {
    match auth {
        Some(auth) => {
            auth.require(&["read", "read:statuses"])?;
            Ok(Some(auth.account()?))
        }
        None => Ok(None),
    }
}

/// `GET /api/staffroom/v1/articles?account_id=&offset=&limit=`
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/articles",
    operation_id = "accountArticles",
    summary = "A person's articles that the asker may see, the newest first.",
    params(
        ("account_id" = String, Query, description = "The author's account id."),
        OffsetParams,
    ),
    responses(
        (status = 200, description = "The articles.", body = Vec<ArticleEntity>),
        (status = 400, description = "offset or limit is not a number.", body = ErrorBody),
        (status = 404, description = "No such account.", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Vec<ArticleEntity>>> {
    let offset = crate::params::number("offset", query.offset.as_deref(), 0)?.min(10_000);
    let limit = crate::params::number("limit", query.limit.as_deref(), 20)?.clamp(1, 40);
    let me = signed_in(&auth)?;
    let author_id = query
        .account_id
        .as_deref()
        .and_then(|id| id.trim().parse::<i64>().ok())
        .ok_or_else(ApiError::not_found)?;
    let author = account::get(state.db(), author_id)
        .await
        .map_err(|_| ApiError::not_found())?;
    let found = article::by_author(state.db(), author.id, me.map(|m| m.id), offset, limit).await?;
    let mut out = Vec::with_capacity(found.len());
    for (post, one) in &found {
        out.push(entity(&state, post, one, me).await?);
    }
    Ok(Json(out))
}

/// `GET /api/staffroom/v1/articles/{id}`
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/articles/{id}",
    operation_id = "showArticle",
    summary = "Show an article.",
    params(("id" = String, Path, description = "The article's id (its status's).")),
    responses(
        (status = 200, description = "The article.", body = ArticleEntity),
        (status = 404, description = "No such article, or not one the asker may see.", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    PathId(id): PathId,
) -> ApiResult<Json<ArticleEntity>> {
    let me = signed_in(&auth)?;
    let viewer = me.map_or(Viewer::Anonymous, |me| Viewer::Account(me.id));
    let (post, found) = find(&state, id, viewer).await?;
    Ok(Json(entity(&state, &post, &found, me).await?))
}

/// `PUT /api/staffroom/v1/articles/{id}`
#[utoipa::path(
    put,
    path = "/api/staffroom/v1/articles/{id}",
    operation_id = "editArticle",
    summary = "Edit one's article (its title, summary, body, a new cover); its visibility stays. Other servers hear an Update.",
    params(("id" = String, Path, description = "The article's id (its status's).")),
    request_body = ArticleForm,
    responses(
        (status = 200, description = "The article as it now is.", body = ArticleEntity),
        (status = 404, description = "No such article of the asker's.", body = ErrorBody),
        (status = 422, description = "The change is refused: the reason says why.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn edit(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<ArticleForm>,
) -> ApiResult<Json<ArticleEntity>> {
    auth.require(&["write", "write:statuses"])?;
    let me = auth.account()?;
    let post = edit_article(&state, me, id, &form).await?;
    as_author_sees_it(&state, me, post.id).await
}

/// `DELETE /api/staffroom/v1/articles/{id}`
#[utoipa::path(
    delete,
    path = "/api/staffroom/v1/articles/{id}",
    operation_id = "deleteArticle",
    summary = "Delete one's article (and so its status); other servers hear a Delete.",
    params(("id" = String, Path, description = "The article's id (its status's).")),
    responses(
        (status = 200, description = "The article as it was.", body = ArticleEntity),
        (status = 404, description = "No such article of the asker's.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<ArticleEntity>> {
    auth.require(&["write", "write:statuses"])?;
    let me = auth.account()?;
    let (post, found) = find(&state, id, Viewer::Account(me.id)).await?;
    if post.account_id != me.id {
        return Err(ApiError::not_found());
    }
    let shown = entity(&state, &post, &found, Some(me)).await?;
    publish::delete_post(&state.federation(), me, id).await?;
    Ok(Json(shown))
}

/// `POST /api/staffroom/v1/articles/{id}/comments/{comment_id}/hide`
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/articles/{id}/comments/{comment_id}/hide",
    operation_id = "hideArticleComment",
    summary = "The article's author hides a comment (a reply anywhere in its thread, from any server): it leaves the article's thread for everyone but the comment's author and the article's.",
    params(
        ("id" = String, Path, description = "The article's id."),
        ("comment_id" = String, Path, description = "The comment's status id."),
    ),
    responses(
        (status = 200, description = "The article, with the comments hidden.", body = ArticleEntity),
        (status = 404, description = "No such article of the asker's, or no such comment in its thread.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn hide_comment(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, comment_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<ArticleEntity>> {
    moderate_comment(&state, &auth, id, comment_id, true).await
}

/// `POST /api/staffroom/v1/articles/{id}/comments/{comment_id}/unhide`
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/articles/{id}/comments/{comment_id}/unhide",
    operation_id = "unhideArticleComment",
    summary = "The article's author shows a hidden comment again.",
    params(
        ("id" = String, Path, description = "The article's id."),
        ("comment_id" = String, Path, description = "The comment's status id."),
    ),
    responses(
        (status = 200, description = "The article, with the comments hidden.", body = ArticleEntity),
        (status = 404, description = "No such article of the asker's.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn unhide_comment(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, comment_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<ArticleEntity>> {
    moderate_comment(&state, &auth, id, comment_id, false).await
}

/// The article's author hides (`hide`) or shows again the comment
/// `comment_id` of article `id`; the article as they now see it.
async fn moderate_comment(
    state: &AppState,
    auth: &Auth,
    id: i64,
    comment_id: i64,
    hide: bool,
) -> ApiResult<Json<ArticleEntity>> {
    auth.require(&["write", "write:statuses"])?;
    let me = auth.account()?;
    if hide {
        article::hide_comment(state.db(), me, id, comment_id).await?;
    } else {
        article::unhide_comment(state.db(), me, id, comment_id).await?;
    }
    as_author_sees_it(state, me, id).await
}

/// The article `id` as its author `me` sees it: the answer of every change
/// they make to it.
async fn as_author_sees_it(
    state: &AppState,
    me: &Account,
    id: i64,
) -> ApiResult<Json<ArticleEntity>> {
    let (post, found) = find(state, id, Viewer::Account(me.id)).await?;
    Ok(Json(entity(state, &post, &found, Some(me)).await?))
}
