//! The articles of the web app: `/articles/new` (the form that writes one, with
//! a cover picture to upload), `/@{acct}/articles` (a person's articles),
//! `/@{acct}/articles/{id}` (one article, its comments threaded below it, the
//! comment box, and for its author the buttons that hide or show a comment),
//! and `/@{username}/articles/{id}/edit` (its author changes it). Asked for
//! ActivityPub, an article's page answers with its `Article`.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::Form;
use axum::extract::multipart::Field;
use axum::extract::{Multipart, OriginalUri, Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::media::{self, Upload};
use staffroom_domain::posts::article::{self, Article};
use staffroom_domain::posts::post::Post;
use staffroom_domain::posts::thread;
use staffroom_domain::visibility::post::{Viewer, find_visible};

use super::compose::{ComposeForm, VISIBILITIES};
use super::layout::Section;
use super::post_view::PostView;
use super::session::SignedIn;
use super::{Actions, Layout, render, render_again, see_other};
use crate::AppState;
use crate::activity_json;
use crate::api::staffroom::articles::{ArticleForm, edit_article, publish_article};
use crate::browser::Browser;
use crate::error::{PageError, PageResult};
use crate::path_id::record_id;
use crate::users::statuses::{Answer, answer};

/// The most articles on a person's list.
const LISTED: u64 = 40;
/// The deepest a comment is indented.
const MAX_DEPTH: usize = 5;

/// An article as the pages show it.
pub struct ArticleView {
    pub id: i64,
    pub title: String,
    pub summary: String,
    /// Sanitised HTML.
    pub body_html: String,
    pub url: String,
    pub author: String,
    pub author_url: String,
    pub published: String,
    pub published_text: String,
    pub edited: bool,
    pub cover_url: Option<String>,
    pub cover_alt: String,
    pub visibility_label: &'static str,
    pub local: bool,
    /// Its page on its own server, for an article from elsewhere.
    pub original: Option<String>,
}

fn profile_path(account: &Account) -> String {
    match &account.domain {
        None => format!("/@{}", account.username),
        Some(domain) => format!("/@{}@{domain}", account.username),
    }
}

/// The page of the article `id` by `author`.
pub fn article_path(author: &Account, id: i64) -> String {
    format!("{}/articles/{id}", profile_path(author))
}

impl ArticleView {
    async fn load(state: &AppState, post: &Post, found: &Article) -> PageResult<Self> {
        let author = account::get(state.db(), post.account_id).await?;
        let (cover_url, cover_alt) = match (found.cover_media_id, &found.cover_url) {
            (Some(id), _) => media::of_post(state.db(), post.id)
                .await?
                .into_iter()
                .find(|m| m.id == id)
                .and_then(|m| {
                    let url = m.file.as_deref().map(|f| state.urls().media(f))?;
                    Some((Some(url), m.description.unwrap_or_default()))
                })
                .unwrap_or((None, String::new())),
            // Another server's picture is not loaded into this instance's pages.
            _ => (None, String::new()),
        };
        let published = crate::entities::timestamp(post.created_at);
        Ok(Self {
            id: post.id,
            title: found.title.clone(),
            summary: found.summary.clone(),
            body_html: found.body_html.clone(),
            url: article_path(&author, post.id),
            author: author.shown_name().to_owned(),
            author_url: profile_path(&author),
            published_text: super::post_view::readable_time(&published),
            published,
            edited: post.edited_at.is_some(),
            cover_url,
            cover_alt,
            visibility_label: super::post_view::visibility_label(post.visibility.name()),
            local: post.local,
            original: (!post.local)
                .then(|| post.url.clone().or_else(|| post.uri.clone()))
                .flatten(),
        })
    }
}

/// One comment on an article's page.
pub struct CommentView {
    pub post: PostView,
    /// How far it is indented (0 for an answer to the article).
    pub depth: usize,
    /// Whether the article's author hid it (shown only to them and its author).
    pub hidden: bool,
}

/// `templates/article.html`
#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    article: ArticleView,
    comments: Vec<CommentView>,
    compose: Option<ComposeForm<'a>>,
    actions: Option<Actions<'a>>,
    /// Whether the reader wrote it (and may edit it and hide comments).
    own: bool,
    signed_in: bool,
}

/// The article `id` by `acct`, as `viewer` may see it.
async fn find(
    state: &AppState,
    acct: &str,
    id: &str,
    viewer: Viewer,
) -> PageResult<(Post, Article, Account)> {
    let id = record_id(id)?;
    let post = find_visible(state.db(), id, viewer)
        .await
        .map_err(|_| PageError::not_found())?;
    let author = account::get(state.db(), post.account_id).await?;
    if !author.acct().eq_ignore_ascii_case(acct) {
        return Err(PageError::not_found());
    }
    let found = article::get(state.db(), id)
        .await?
        .ok_or_else(PageError::not_found)?;
    Ok((post, found, author))
}

/// `GET /@{acct}/articles/{id}`: the page, or the `Article` when asked for
/// ActivityPub.
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    Path((acct, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    method: Method,
    headers: HeaderMap,
) -> Response {
    if activity_json::wanted(&headers) {
        return match answer(&state, &acct, &id, &method, &uri, &headers).await {
            Ok(Answer::Document(document)) => document,
            Ok(Answer::Page(_)) => PageError::not_found().page(&state),
            Err(error) => error.into_response(),
        };
    }
    let here = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let page = article_page(&state, &browser, &acct, &id, &here)
        .await
        .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

async fn article_page(
    state: &AppState,
    browser: &Browser,
    acct: &str,
    id: &str,
    here: &str,
) -> PageResult<Response> {
    let me = browser.user.as_ref().map(|user| &user.account);
    let viewer = me.map_or(Viewer::Anonymous, |account| Viewer::Account(account.id));
    let (post, found, _) = find(state, acct, id, viewer).await?;
    let own = me.is_some_and(|me| me.id == post.account_id);
    // The thread's rule leaves out hidden comments for everyone else.
    let (_, descendants) = thread::context(state.db(), &post, viewer).await?;
    let hidden: HashSet<i64> = article::hidden_comments(state.db(), post.id)
        .await?
        .into_iter()
        .collect();
    let mut depth: HashMap<i64, usize> = HashMap::from([(post.id, 0)]);
    let mut comments = Vec::with_capacity(descendants.len());
    let views = PostView::load_all(state, &descendants, me).await?;
    for (comment, view) in descendants.iter().zip(views) {
        let level = comment
            .in_reply_to_id
            .and_then(|parent| depth.get(&parent).copied())
            .map_or(0, |d| d + 1);
        depth.insert(comment.id, level);
        comments.push(CommentView {
            post: view,
            depth: level.saturating_sub(1).min(MAX_DEPTH),
            hidden: hidden.contains(&comment.id),
        });
    }
    let csrf = browser.csrf_token();
    let compose = match me {
        Some(me) => {
            let shown = PostView::load_one(state, post.clone(), Some(me)).await?;
            let mut form = ComposeForm::reply(csrf, here, &shown, &me.acct());
            form.heading = "Comment";
            form.button = "Comment";
            Some(form)
        }
        None => None,
    };
    let page = ArticlePage {
        layout: browser.layout(state, Section::Other),
        csrf,
        article: ArticleView::load(state, &post, &found).await?,
        comments,
        compose,
        actions: me.map(|_| Actions { csrf, here }),
        own,
        signed_in: me.is_some(),
    };
    Ok(render(&page)?.into_response())
}

/// `templates/articles.html`
#[derive(Template)]
#[template(path = "articles.html")]
struct ArticlesPage<'a> {
    layout: Layout<'a>,
    name: String,
    acct: String,
    articles: Vec<ArticleView>,
    own: bool,
}

/// `GET /@{acct}/articles`: a person's articles the reader may see.
pub async fn list(
    State(state): State<AppState>,
    browser: Browser,
    Path(acct): Path<String>,
) -> Response {
    let page = async {
        let me = browser.user.as_ref().map(|u| &u.account);
        let author = super::profile::find(&state, &browser, &acct).await?;
        let found = article::by_author(state.db(), author.id, me.map(|m| m.id), 0, LISTED).await?;
        let mut articles = Vec::with_capacity(found.len());
        for (post, one) in &found {
            articles.push(ArticleView::load(&state, post, one).await?);
        }
        let shown = ArticlesPage {
            layout: browser.layout(&state, Section::Profile),
            name: author.shown_name().to_owned(),
            acct: author.acct(),
            articles,
            own: me.is_some_and(|me| me.id == author.id),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

/// What the article form sends, read from its multipart body.
#[derive(Debug, Default)]
pub struct ArticleFields {
    csrf: Option<String>,
    title: String,
    summary: String,
    body: String,
    visibility: String,
    cover: Option<Vec<u8>>,
    cover_alt: String,
}

/// `templates/article_form.html`
#[derive(Template)]
#[template(path = "article_form.html")]
struct ArticleFormPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    heading: &'static str,
    action: String,
    /// Whether it writes a new article (with a cover and a visibility to choose).
    new: bool,
    form: ArticleFields,
    visibilities: &'static [(&'static str, &'static str)],
    error: Option<String>,
    title_limit: usize,
    summary_limit: usize,
    body_limit: usize,
}

impl<'a> ArticleFormPage<'a> {
    fn of(state: &'a AppState, me: &'a SignedIn, form: ArticleFields) -> Self {
        Self {
            layout: me.browser.layout(state, Section::Compose),
            csrf: me.browser.csrf_token(),
            heading: "Write an article",
            action: NEW_ARTICLE.to_owned(),
            new: true,
            form,
            visibilities: &VISIBILITIES,
            error: None,
            title_limit: article::MAX_TITLE_CHARS,
            summary_limit: article::MAX_SUMMARY_CHARS,
            body_limit: article::MAX_BODY_CHARS,
        }
    }
}

/// The page of the form that writes an article.
pub const NEW_ARTICLE: &str = "/articles/new";

/// `GET /articles/new`
pub async fn new_form(State(state): State<AppState>, me: SignedIn) -> Response {
    let form = ArticleFields {
        visibility: "public".to_owned(),
        ..ArticleFields::default()
    };
    let page = render(&ArticleFormPage::of(&state, &me, form))
        .map(IntoResponse::into_response)
        .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

/// The most bytes of a text field of the form.
const MAX_FIELD_BYTES: usize = 4 * article::MAX_BODY_CHARS;

async fn text_of(field: Field<'_>) -> Result<String, PageError> {
    let text = field
        .text()
        .await
        .map_err(|e| PageError::invalid("Write an article", e.body_text()))?;
    Ok(text.chars().take(MAX_FIELD_BYTES).collect())
}

async fn read(mut form: Multipart) -> Result<ArticleFields, PageError> {
    let mut sent = ArticleFields::default();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| PageError::invalid("Write an article", e.body_text()))?
    {
        match field.name().unwrap_or_default() {
            "authenticity_token" => sent.csrf = Some(text_of(field).await?),
            "title" => sent.title = text_of(field).await?,
            "summary" => sent.summary = text_of(field).await?,
            "body" => sent.body = text_of(field).await?,
            "visibility" => sent.visibility = text_of(field).await?,
            "cover_alt" => sent.cover_alt = text_of(field).await?,
            "cover" => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| PageError::invalid("Write an article", e.body_text()))?;
                if !bytes.is_empty() {
                    sent.cover = Some(bytes.to_vec());
                }
            }
            _ => {}
        }
    }
    Ok(sent)
}

/// `POST /articles/new`: publishes the article and shows it; a form with a
/// mistake comes back with what was typed.
pub async fn create(State(state): State<AppState>, me: SignedIn, form: Multipart) -> Response {
    let mut sent = match read(form).await {
        Ok(sent) => sent,
        Err(error) => return me.respond(error.page(&state)),
    };
    if let Some(refused) = me.csrf_refusal(&state, sent.csrf.as_deref()) {
        return refused;
    }
    let made = async {
        let asked = ArticleForm {
            title: sent.title.clone(),
            summary: Some(sent.summary.clone()),
            body: sent.body.clone(),
            cover_media_id: None,
            visibility: Some(sent.visibility.clone()),
            language: None,
        };
        // The text is checked before a cover is stored for it.
        asked.read()?;
        let mut asked = asked;
        if let Some(bytes) = sent.cover.take() {
            let upload = Upload {
                bytes,
                description: Some(sent.cover_alt.clone()).filter(|a| !a.trim().is_empty()),
                focus: None,
                thumbnail: None,
            };
            let _turn = state.processing_turn().await;
            let limits = state.settings().media_limits;
            let cover =
                media::create_local(state.db(), state.media(), me.account(), upload, limits)
                    .await?;
            asked.cover_media_id = Some(cover.id.to_string());
        }
        Ok::<_, PageError>(publish_article(&state, me.account(), &asked).await?)
    }
    .await
    .map_err(|error| PageError::from_form("The article was not published", error));
    let response = match made {
        Ok(post) => see_other(&article_path(me.account(), post.id)),
        Err(error) => {
            let mut page = ArticleFormPage::of(&state, &me, sent);
            page.error = Some(error.message().to_owned());
            render_again(&state, &page, &error)
        }
    };
    me.respond(response)
}

/// `GET /@{username}/articles/{id}/edit`
pub async fn edit_form(
    State(state): State<AppState>,
    me: SignedIn,
    Path((acct, id)): Path<(String, String)>,
) -> Response {
    let page = async {
        let (post, found, _) = find(&state, &acct, &id, Viewer::Account(me.account().id)).await?;
        if post.account_id != me.account().id || !post.local {
            return Err(PageError::not_found());
        }
        let form = ArticleFields {
            title: found.title,
            summary: found.summary,
            body: found.markdown.unwrap_or_default(),
            visibility: post.visibility.name().to_owned(),
            ..ArticleFields::default()
        };
        let mut page = ArticleFormPage::of(&state, &me, form);
        page.heading = "Edit the article";
        page.action = format!("{}/edit", article_path(me.account(), post.id));
        page.new = false;
        Ok(render(&page)?.into_response())
    }
    .await
    .unwrap_or_else(|error: PageError| error.page(&state));
    me.respond(page)
}

/// What the edit form sends.
#[derive(Debug, Default, Deserialize)]
pub struct EditFields {
    authenticity_token: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
}

/// `POST /@{username}/articles/{id}/edit`
pub async fn edit(
    State(state): State<AppState>,
    me: SignedIn,
    Path((acct, id)): Path<(String, String)>,
    Form(form): Form<EditFields>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        let (post, _, _) = find(&state, &acct, &id, Viewer::Account(me.account().id)).await?;
        let asked = ArticleForm {
            title: form.title.clone(),
            summary: Some(form.summary.clone()),
            body: form.body.clone(),
            ..ArticleForm::default()
        };
        Ok::<_, PageError>(edit_article(&state, me.account(), post.id, &asked).await?)
    }
    .await
    .map_err(|error| PageError::from_form("The article was not changed", error));
    let response = match done {
        Ok(post) => see_other(&article_path(me.account(), post.id)),
        Err(error) => {
            let fields = ArticleFields {
                title: form.title,
                summary: form.summary,
                body: form.body,
                ..ArticleFields::default()
            };
            let mut page = ArticleFormPage::of(&state, &me, fields);
            page.heading = "Edit the article";
            page.action = format!("/@{acct}/articles/{id}/edit");
            page.new = false;
            page.error = Some(error.message().to_owned());
            render_again(&state, &page, &error)
        }
    };
    me.respond(response)
}

/// What the hide and show buttons send.
#[derive(Debug, Deserialize)]
pub struct HideForm {
    authenticity_token: Option<String>,
}

/// `POST /@{username}/articles/{id}/comments/{comment_id}/hide` (and `/unhide`):
/// the article's author hides a comment, or shows it again.
pub async fn moderate(
    State(state): State<AppState>,
    me: SignedIn,
    Path((acct, id, comment, action)): Path<(String, String, String, String)>,
    Form(form): Form<HideForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        let (post, _, author) = find(&state, &acct, &id, Viewer::Account(me.account().id)).await?;
        let comment = record_id(&comment)?;
        match action.as_str() {
            "hide" => article::hide_comment(state.db(), me.account(), post.id, comment).await?,
            "unhide" => {
                article::unhide_comment(state.db(), me.account(), post.id, comment).await?;
            }
            _ => return Err(PageError::not_found()),
        }
        Ok(see_other(&format!(
            "{}#comment-{comment}",
            article_path(&author, post.id)
        )))
    }
    .await
    .unwrap_or_else(|error: PageError| error.page(&state));
    me.respond(done)
}
