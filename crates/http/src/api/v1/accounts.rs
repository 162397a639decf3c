//! `/api/v1/accounts/...`

use axum::Json;
use axum::extract::multipart::{Multipart, MultipartError};
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::Uri;
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::accounts::account::{Account as DomainAccount, ProfileChange};
use staffroom_domain::accounts::picture::{self, Which};
use staffroom_domain::accounts::preferences;
use staffroom_domain::filters::filter::Context;
use staffroom_domain::graph::follow::Direction;
use staffroom_domain::posts::compose::normalize_tag;
use staffroom_domain::posts::post::Visibility;
use staffroom_domain::timelines::account::AccountFilter;
use staffroom_domain::timelines::account::account as account_posts;
use staffroom_domain::visibility::post::Viewer;
use staffroom_domain::{
    access::user,
    accounts::{account, moving, remote},
    graph::{self, follow, mute, note, relationship},
    media,
    posts::pin,
};
use staffroom_federation::{publish, relationships};

use super::timelines;
use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::entities::Account;
use crate::entities::account::CredentialAccount;
use crate::entities::relationship::Relationship;
use crate::entities::status::account_entity;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::pagination::Pagination;
use crate::params::{self, flag, loose_flag, loose_number};
use crate::path_id::PathId;

/// `GET /api/v1/accounts/verify_credentials`
pub async fn verify_credentials(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<CredentialAccount>> {
    auth.require(&["read:accounts", "profile"])?;
    Ok(Json(credential_account(&state, auth.account()?).await?))
}

/// The signed-in `me` as their own `Account`, with `source` and `role`.
pub(crate) async fn credential_account(
    state: &AppState,
    me: &DomainAccount,
) -> ApiResult<CredentialAccount> {
    let db = state.db();
    let user = user::find_by_username(db, &me.username).await?;
    let numbers = staffroom_domain::posts::details::author(db, me.id).await?;
    let pending = follow::pending_count(db, me.id).await?;
    let chosen = preferences::get(db, me.id).await?;
    let mut entity = CredentialAccount::new(
        state.urls(),
        &user,
        &chosen,
        numbers.posting,
        numbers.follows,
        pending,
    );
    entity.source.also_known_as_uris = moving::aliases(db, me.id).await?;
    if user.account.moved_to_id.is_some() {
        entity.account.moved = account_entity(db, state.urls(), &user.account).await?.moved;
    }
    Ok(entity)
}

/// `GET /api/v1/accounts/{id}`
pub async fn show(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    PathId(id): PathId,
) -> ApiResult<Json<Account>> {
    if let Some(auth) = &auth {
        auth.require(&["read:accounts"])?;
    }
    let found = account::get(state.db(), id).await?;
    if found.kind == account::AccountKind::Instance {
        return Err(ApiError::not_found());
    }
    Ok(Json(
        account_entity(state.db(), state.urls(), &found).await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct LookupParams {
    acct: Option<String>,
}

/// `GET /api/v1/accounts/lookup?acct=`: `name`, `@name`, `name@this.domain` or
/// `name@other.server` (one this instance knows).
pub async fn lookup(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Query(params): Query<LookupParams>,
) -> ApiResult<Json<Account>> {
    if let Some(auth) = &auth {
        auth.require(&["read:accounts"])?;
    }
    let acct = params
        .acct
        .ok_or_else(|| ApiError::bad_request("acct is required"))?;
    let acct = acct
        .trim()
        .trim_start_matches("acct:")
        .trim_start_matches('@');
    let db = state.db();
    let found = match acct.split_once('@') {
        None => account::find_local(db, acct).await?,
        Some((name, domain)) if domain.eq_ignore_ascii_case(state.urls().domain()) => {
            account::find_local(db, name).await?
        }
        Some(_) => remote::find_by_acct(db, acct).await?,
    };
    let found = found
        .filter(|a| a.kind != account::AccountKind::Instance)
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(account_entity(db, state.urls(), &found).await?))
}

/// The account `id` (not the instance actor), or 404.
pub(crate) async fn target(state: &AppState, id: i64) -> ApiResult<DomainAccount> {
    let found = account::get(state.db(), id).await?;
    if found.kind == account::AccountKind::Instance {
        return Err(ApiError::not_found());
    }
    Ok(found)
}

/// The signed-in account, with one of `scopes`, and the account `id` it acts on.
pub(crate) async fn acting_on<'a>(
    state: &AppState,
    auth: &'a Auth,
    scopes: &[&str],
    id: i64,
) -> ApiResult<(&'a DomainAccount, DomainAccount)> {
    auth.require(scopes)?;
    let me = auth.account()?;
    Ok((me, target(state, id).await?))
}

/// How `me` stands towards `target_id`, as the entity.
pub(crate) async fn relationship_with(
    state: &AppState,
    me: &DomainAccount,
    target_id: i64,
) -> ApiResult<Relationship> {
    let db = state.db();
    let found = relationship::between(db, me.id, target_id, Utc::now()).await?;
    let notifying = follow::find(db, me.id, target_id)
        .await?
        .is_some_and(|f| f.notify);
    Ok(Relationship::new(&found, notifying))
}

/// The accounts `ids` (in order) as entities, their numbers loaded at once.
pub(crate) async fn account_entities(state: &AppState, ids: &[i64]) -> ApiResult<Vec<Account>> {
    Ok(crate::entities::status::account_entities(state.db(), state.urls(), ids).await?)
}

/// A page of (cursor id, account id) pairs as accounts with the `Link` header.
pub(crate) async fn respond_accounts(
    state: &AppState,
    pagination: &Pagination,
    rows: &[(i64, i64)],
) -> ApiResult<Response> {
    let ids: Vec<i64> = rows.iter().map(|(_, account)| *account).collect();
    let entities = account_entities(state, &ids).await?;
    Ok(pagination.respond(
        &state.urls().origin(),
        &entities,
        rows.first().map(|(cursor, _)| *cursor),
        rows.last().map(|(cursor, _)| *cursor),
    ))
}

#[derive(Debug, Deserialize)]
pub struct StatusesParams {
    exclude_replies: Option<String>,
    exclude_reblogs: Option<String>,
    only_media: Option<String>,
    pinned: Option<String>,
    tagged: Option<String>,
}

/// `GET /api/v1/accounts/{id}/statuses`
pub async fn statuses(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
    pagination: Pagination,
    Query(params): Query<StatusesParams>,
) -> ApiResult<Response> {
    let viewer = auth.viewer(&["read:statuses"])?;
    let author = target(&state, id).await?;
    // Pinned posts are few: one page, latest pin first.
    if flag("pinned", params.pinned.as_deref())? {
        let seen_by = viewer
            .as_ref()
            .map_or(Viewer::Anonymous, |v| Viewer::Account(v.id));
        let pinned = pin::pinned_for(state.db(), author.id, seen_by).await?;
        return timelines::respond(
            &state,
            &pagination,
            &pinned,
            viewer.as_ref(),
            Context::Account,
        )
        .await;
    }
    let filter = AccountFilter {
        exclude_replies: flag("exclude_replies", params.exclude_replies.as_deref())?,
        exclude_reblogs: flag("exclude_reblogs", params.exclude_reblogs.as_deref())?,
        only_media: flag("only_media", params.only_media.as_deref())?,
        tagged: params
            .tagged
            .as_deref()
            .filter(|t| !t.is_empty())
            .map(normalize_tag),
    };
    let posts = account_posts(
        state.db(),
        author.id,
        viewer.as_ref().map(|v| v.id),
        &filter,
        pagination.page,
    )
    .await?;
    timelines::respond(
        &state,
        &pagination,
        &posts,
        viewer.as_ref(),
        Context::Account,
    )
    .await
}

async fn follows_of(
    state: &AppState,
    auth: &MaybeAuth,
    id: i64,
    direction: Direction,
    pagination: &Pagination,
) -> ApiResult<Response> {
    auth.viewer(&["read:accounts"])?;
    let owner = target(state, id).await?;
    let rows = follow::page(state.db(), owner.id, direction, pagination.page).await?;
    respond_accounts(state, pagination, &rows).await
}

/// `GET /api/v1/accounts/{id}/followers`
pub async fn followers(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
    pagination: Pagination,
) -> ApiResult<Response> {
    follows_of(&state, &auth, id, Direction::Followers, &pagination).await
}

/// `GET /api/v1/accounts/{id}/following`
pub async fn following(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
    pagination: Pagination,
) -> ApiResult<Response> {
    follows_of(&state, &auth, id, Direction::Following, &pagination).await
}

#[derive(Debug, Default, Deserialize)]
pub struct FollowForm {
    notify: Option<serde_json::Value>,
}

/// `POST /api/v1/accounts/{id}/follow`
pub async fn follow_account(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<FollowForm>,
) -> ApiResult<Json<Relationship>> {
    let (me, target) = acting_on(&state, &auth, &["write:follows", "follow"], id).await?;
    let notify = match &form.notify {
        None => None,
        Some(value) => Some(loose_flag("notify", value)?),
    };
    relationships::follow(&state.federation(), me, &target, notify).await?;
    Ok(Json(relationship_with(&state, me, target.id).await?))
}

/// `POST /api/v1/accounts/{id}/unfollow`
pub async fn unfollow_account(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    let (me, target) = acting_on(&state, &auth, &["write:follows", "follow"], id).await?;
    relationships::unfollow(&state.federation(), me, &target).await?;
    Ok(Json(relationship_with(&state, me, target.id).await?))
}

/// `POST /api/v1/accounts/{id}/block`
pub async fn block_account(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    let (me, target) = acting_on(&state, &auth, &["write:blocks", "follow"], id).await?;
    relationships::block(&state.federation(), me, &target).await?;
    Ok(Json(relationship_with(&state, me, target.id).await?))
}

/// `POST /api/v1/accounts/{id}/unblock`
pub async fn unblock_account(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    let (me, target) = acting_on(&state, &auth, &["write:blocks", "follow"], id).await?;
    relationships::unblock(&state.federation(), me, &target).await?;
    Ok(Json(relationship_with(&state, me, target.id).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct MuteForm {
    notifications: Option<serde_json::Value>,
    duration: Option<serde_json::Value>,
}

/// `POST /api/v1/accounts/{id}/mute`
pub async fn mute_account(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<MuteForm>,
) -> ApiResult<Json<Relationship>> {
    let (me, target) = acting_on(&state, &auth, &["write:mutes", "follow"], id).await?;
    let notifications = match &form.notifications {
        None => true,
        Some(value) => loose_flag("notifications", value)?,
    };
    let seconds = match &form.duration {
        None => 0,
        Some(value) => loose_number("duration", value)?,
    };
    mute::mute(
        state.db(),
        me.id,
        target.id,
        notifications,
        seconds,
        Utc::now(),
    )
    .await?;
    Ok(Json(relationship_with(&state, me, target.id).await?))
}

/// The form of `POST /api/v1/accounts/{id}/note`.
#[derive(Debug, Deserialize)]
pub struct NoteForm {
    comment: Option<String>,
}

/// `POST /api/v1/accounts/{id}/note`: the signed-in person's private note about
/// the account (an empty or missing `comment` removes it).
pub async fn set_note(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<NoteForm>,
) -> ApiResult<Json<Relationship>> {
    let (me, target) = acting_on(&state, &auth, &["write:accounts"], id).await?;
    note::set(
        state.db(),
        me.id,
        target.id,
        form.comment.as_deref().unwrap_or_default(),
        Utc::now(),
    )
    .await?;
    Ok(Json(relationship_with(&state, me, target.id).await?))
}

/// `POST /api/v1/accounts/{id}/unmute`
pub async fn unmute_account(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    let (me, target) = acting_on(&state, &auth, &["write:mutes", "follow"], id).await?;
    mute::unmute(state.db(), me.id, target.id).await?;
    Ok(Json(relationship_with(&state, me, target.id).await?))
}

/// The most ids one relationships request may ask about.
const MAX_RELATIONSHIPS: usize = 100;

/// `GET /api/v1/accounts/relationships?id[]=...`
pub async fn relationships(
    State(state): State<AppState>,
    auth: Auth,
    uri: Uri,
) -> ApiResult<Json<Vec<Relationship>>> {
    auth.require(&["read:follows", "follow"])?;
    let me = auth.account()?;
    let mut found = Vec::new();
    for id in params::list(uri.query(), "id", MAX_RELATIONSHIPS) {
        // Unknown ids are left out, as Mastodon does.
        let Ok(id) = id.parse::<i64>() else { continue };
        if account::get(state.db(), id).await.is_ok() {
            found.push(relationship_with(&state, me, id).await?);
        }
    }
    Ok(Json(found))
}

/// Mastodon's `FamiliarFollowers` entity: of the accounts the reader follows,
/// those that follow the account `id`.
#[derive(Debug, serde::Serialize)]
pub struct FamiliarFollowers {
    id: String,
    accounts: Vec<Account>,
}

/// `GET /api/v1/accounts/familiar_followers?id[]=...`: for each account asked
/// about (unknown ones left out), the accounts the signed-in person follows that
/// follow it, none they block or mute. The ids may also come as a JSON body
/// (`{"id": [...]}`), as some libraries send them.
pub async fn familiar_followers(
    State(state): State<AppState>,
    auth: Auth,
    uri: Uri,
    body: axum::body::Bytes,
) -> ApiResult<Json<Vec<FamiliarFollowers>>> {
    auth.require(&["read:follows", "follow"])?;
    let me = auth.account()?;
    let mut ids = params::list(uri.query(), "id", MAX_RELATIONSHIPS);
    if let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice(&body) {
        match fields.get("id") {
            Some(serde_json::Value::Array(values)) => {
                ids.extend(values.iter().filter_map(params::id_text));
            }
            Some(value) => ids.extend(params::id_text(value)),
            None => {}
        }
    }
    let mut asked = Vec::new();
    for id in ids.into_iter().take(MAX_RELATIONSHIPS) {
        let Ok(id) = id.parse::<i64>() else { continue };
        if target(&state, id).await.is_ok() && !asked.contains(&id) {
            asked.push(id);
        }
    }
    let mut found = Vec::new();
    for (id, followers) in graph::familiar::familiar_followers(state.db(), me.id, &asked).await? {
        found.push(FamiliarFollowers {
            id: id.to_string(),
            accounts: account_entities(&state, &followers).await?,
        });
    }
    Ok(Json(found))
}

/// The profile fields of an `update_credentials` body: `fields_attributes` as a JSON
/// array or object of `{name, value}`, or as form keys `fields_attributes[N][name]`.
/// `None` when the body does not touch them.
fn fields_attributes(body: &serde_json::Value) -> Option<Vec<(String, String)>> {
    use serde_json::Value;
    let pair = |field: &Value| {
        (
            field["name"].as_str().unwrap_or_default().to_owned(),
            field["value"].as_str().unwrap_or_default().to_owned(),
        )
    };
    let mut indexed: std::collections::BTreeMap<u32, (String, String)> = Default::default();
    match body.get("fields_attributes") {
        Some(Value::Array(fields)) => return Some(fields.iter().map(pair).collect()),
        Some(Value::Object(fields)) => {
            for (index, field) in fields {
                indexed.insert(index.parse().unwrap_or(u32::MAX), pair(field));
            }
        }
        _ => {
            for (key, value) in body.as_object()? {
                let Some(rest) = key.strip_prefix("fields_attributes[") else {
                    continue;
                };
                let Some((index, part)) = rest.split_once("][") else {
                    continue;
                };
                let entry = indexed
                    .entry(index.parse().unwrap_or(u32::MAX))
                    .or_default();
                let value = value.as_str().unwrap_or_default().to_owned();
                match part {
                    "name]" => entry.0 = value,
                    "value]" => entry.1 = value,
                    _ => {}
                }
            }
            if indexed.is_empty() {
                return None;
            }
        }
    }
    Some(indexed.into_values().collect())
}

/// What `update_credentials` received: the fields (as a form or JSON would give
/// them), and the uploaded pictures.
struct ProfileForm {
    body: serde_json::Value,
    pictures: Vec<(Which, Vec<u8>)>,
}

/// Reads `update_credentials`' body: JSON, a URL-encoded form, or — as apps send
/// an avatar or a header — a multipart form whose files are `avatar` and
/// `header` and whose other parts are fields.
async fn read_profile_form(state: &AppState, request: Request) -> ApiResult<ProfileForm> {
    let is_multipart = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        let FormOrJson(body) =
            FormOrJson::<serde_json::Value>::from_request(request, state).await?;
        return Ok(ProfileForm {
            body,
            pictures: Vec::new(),
        });
    }
    let unreadable = |e: MultipartError| ApiError::multipart(&e);
    let mut form = Multipart::from_request(request, state)
        .await
        .map_err(|e| ApiError::unprocessable(e.body_text()))?;
    let mut fields = serde_json::Map::new();
    let mut pictures = Vec::new();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let which = match name.as_str() {
            "avatar" => Some(Which::Avatar),
            "header" => Some(Which::Header),
            _ => None,
        };
        match which {
            Some(which) => {
                let bytes = field.bytes().await.map_err(unreadable)?;
                if bytes.len() > media::MAX_FILE_BYTES {
                    return Err(ApiError::too_large(format!(
                        "Validation failed: {} is too large: at most {} bytes",
                        which.name(),
                        media::MAX_FILE_BYTES
                    )));
                }
                pictures.push((which, bytes.to_vec()));
            }
            None => {
                let text = field.text().await.map_err(unreadable)?;
                fields.insert(name, serde_json::Value::String(text));
            }
        }
    }
    Ok(ProfileForm {
        body: serde_json::Value::Object(fields),
        pictures,
    })
}

/// `PATCH /api/v1/accounts/update_credentials`: the profile changes (with an
/// avatar or a header uploaded in a multipart form), and followers' servers
/// hear of it. A bad picture or field changes nothing.
pub async fn update_credentials(
    State(state): State<AppState>,
    auth: Auth,
    request: Request,
) -> ApiResult<Json<CredentialAccount>> {
    auth.require(&["write:accounts"])?;
    let me = auth.account()?;
    let ProfileForm { body, pictures } = read_profile_form(&state, request).await?;
    let text = |name: &str| body.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let flag = |name: &str| {
        body.get(name)
            .map(|value| loose_flag(name, value))
            .transpose()
    };
    let change = ProfileChange {
        display_name: text("display_name"),
        note: text("note"),
        locked: flag("locked")?,
        bot: flag("bot")?,
        discoverable: flag("discoverable")?,
        fields: fields_attributes(&body),
    };
    save_source(&state, me.id, &body).await?;
    crate::users::save_profile(&state, me.id, change, pictures).await?;
    verify_credentials(State(state), auth).await
}

/// The posting defaults `update_credentials` may change: `source[privacy]`,
/// `source[language]` and `source[sensitive]`, as a form's keys or inside a JSON
/// `source` object. What is left out stays.
async fn save_source(state: &AppState, account_id: i64, body: &serde_json::Value) -> ApiResult<()> {
    let given = |name: &str| {
        body.get("source")
            .and_then(|source| source.get(name))
            .or_else(|| body.get(format!("source[{name}]")))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let (privacy, language) = (given("privacy"), given("language"));
    let sensitive = match body
        .get("source")
        .and_then(|source| source.get("sensitive"))
        .or_else(|| body.get("source[sensitive]"))
    {
        None | Some(serde_json::Value::Null) => None,
        Some(value) => Some(loose_flag("source[sensitive]", value)?),
    };
    if privacy.is_none() && language.is_none() && sensitive.is_none() {
        return Ok(());
    }
    let mut chosen = preferences::get(state.db(), account_id).await?;
    if let Some(name) = privacy {
        chosen.visibility = Visibility::from_name(&name).ok_or_else(|| {
            ApiError::unprocessable(format!(
                "Validation failed: source[privacy] '{name}' is not one of public, unlisted, private, direct"
            ))
        })?;
    }
    if let Some(language) = language {
        chosen.language = Some(language);
    }
    if let Some(sensitive) = sensitive {
        chosen.sensitive = sensitive;
    }
    preferences::set(state.db(), account_id, chosen, Utc::now()).await?;
    Ok(())
}

/// `DELETE /api/v1/profile/avatar` and `DELETE /api/v1/profile/header`: the
/// default picture shows again.
async fn remove_picture(
    state: AppState,
    auth: Auth,
    which: Which,
) -> ApiResult<Json<CredentialAccount>> {
    auth.require(&["write:accounts"])?;
    let me = auth.account()?;
    let updated = picture::remove(state.db(), state.media(), me.id, which).await?;
    let document = crate::users::actor(&state, &updated).await?;
    publish::actor_updated(&state.federation(), &updated, document).await?;
    verify_credentials(State(state), auth).await
}

/// `DELETE /api/v1/profile/avatar`
pub async fn remove_avatar(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<CredentialAccount>> {
    remove_picture(state, auth, Which::Avatar).await
}

/// `DELETE /api/v1/profile/header`
pub async fn remove_header(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<CredentialAccount>> {
    remove_picture(state, auth, Which::Header).await
}

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    limit: Option<String>,
    resolve: Option<String>,
}

/// `GET /api/v1/accounts/search?q=...[&resolve=true]`
pub async fn search(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Query(params): Query<SearchParams>,
) -> ApiResult<Json<Vec<Account>>> {
    let viewer = auth.viewer(&["read:accounts"])?;
    let q = params.q.unwrap_or_default();
    let limit = params
        .limit
        .as_deref()
        .and_then(|l| l.parse::<u64>().ok())
        .unwrap_or(40)
        .clamp(1, 80);
    let resolve = flag("resolve", params.resolve.as_deref())? && viewer.is_some();
    let mut found: Vec<DomainAccount> = Vec::new();
    if resolve
        && crate::search::is_address(&q)
        && let Some(account) =
            staffroom_federation::resolve::account_by_address(&state.federation(), &q).await?
    {
        found.push(account);
    }
    for candidate in account::search(state.db(), &q, limit).await? {
        if !found.iter().any(|a| a.id == candidate.id) {
            found.push(candidate);
        }
    }
    let ids: Vec<i64> = found.iter().take(limit as usize).map(|a| a.id).collect();
    Ok(Json(account_entities(&state, &ids).await?))
}
