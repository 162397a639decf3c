//! Web pages: what a browser sees at a profile or post URL. Plain HTML that works
//! without JavaScript; every value from users is escaped here.

pub mod post;
pub mod profile;

use axum::response::Html;

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
