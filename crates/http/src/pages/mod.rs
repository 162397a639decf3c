//! Web pages: what a browser sees at the front page, a profile, post or tag URL. Plain HTML that works
//! without JavaScript; every value from users is escaped here.

pub mod front;
pub mod post;
pub mod profile;
pub mod sign_in;
pub mod sign_up;
pub mod tag;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub use staffroom_domain::html::escape;

use crate::AppState;

/// A whole page around `body` (HTML already escaped), titled `title` (plain text).
pub fn layout(state: &AppState, title: &str, body: &str) -> Html<String> {
    let site = escape(&state.settings().title);
    Html(format!(
        concat!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
            "<title>{title} - {site}</title>\n</head>\n<body>\n",
            "<header><a href=\"/\">{site}</a></header>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
        ),
        title = escape(title),
        site = site,
        body = body,
    ))
}

/// A page that says what went wrong, with `status`.
pub fn error_page(state: &AppState, status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<h1>{}</h1>\n<p role=\"alert\">{}</p>",
        escape(title),
        escape(message)
    );
    (status, layout(state, title, &body)).into_response()
}

/// The most characters of a path to return to after signing in.
const MAX_RETURN_PATH_CHARS: usize = 4096;

/// `path` if it is a path on this instance, safe to send a browser back to after a
/// form (never another site: no `//host`, no scheme, no backslash).
pub fn local_path(path: Option<&str>) -> Option<&str> {
    path.filter(|p| {
        p.starts_with('/')
            && !p.starts_with("//")
            && p.len() <= MAX_RETURN_PATH_CHARS
            && !p
                .chars()
                .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
    })
}

/// `303 See Other` to `location` (a path on this instance), the answer to a form.
pub fn see_other(location: &str) -> Response {
    axum::response::Redirect::to(location).into_response()
}

/// Every page: the front page, profiles, posts, tags, and signing in and up.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/", get(front::show))
        .route("/@{username}", get(profile::show))
        .route("/@{username}/{id}", get(post::show))
        .route("/tags/{name}", get(tag::show))
        .route("/auth/sign_in", get(sign_in::show).post(sign_in::sign_in))
        .route("/auth/sign_out", post(sign_in::sign_out))
        .route("/auth/sign_up", get(sign_up::show).post(sign_up::sign_up))
}
