//! The headers that keep browsers careful with what the instance answers: no
//! guessing a file's type from its bytes, no page address sent to other sites,
//! no page framed by another site (which could trick a reader into clicking), and
//! a content security policy for pages that lets them load scripts, styles and
//! fonts from the instance only. Images and sound come from the instance or over
//! HTTPS (other servers' pictures are still linked), and from plain HTTP only on
//! an instance that is itself served over plain HTTP (a test or a laptop).
//!
//! The policy leaves `form-action` out on purpose: an authorisation form sends
//! the browser on to the app's own redirect address, which the browser would
//! count as the form's target.

use axum::Router;
use axum::http::{HeaderValue, Response, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// The content security policy of the instance's pages, served over HTTPS.
const HTTPS_PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    font-src 'self'; img-src 'self' data: blob: https:; media-src 'self' https:; \
    connect-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
    object-src 'none'";

/// The same for an instance served over plain HTTP.
const HTTP_PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    font-src 'self'; img-src 'self' data: blob: https: http:; media-src 'self' https: http:; \
    connect-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
    object-src 'none'";

/// The content security policy of the instance's pages.
pub fn page_policy(https: bool) -> &'static str {
    if https {
        HTTPS_PAGE_POLICY
    } else {
        HTTP_PAGE_POLICY
    }
}

fn is_page<B>(response: &Response<B>) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// `router` with the headers added to every answer that does not set its own
/// (media files set a stricter policy).
pub fn around<S: Clone + Send + Sync + 'static>(router: Router<S>, https: bool) -> Router<S> {
    let policy = HeaderValue::from_static(page_policy(https));
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            move |response: &Response<_>| is_page(response).then(|| policy.clone()),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            |response: &Response<_>| is_page(response).then_some(HeaderValue::from_static("DENY")),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_load_scripts_and_styles_from_the_instance_only() {
        let policy = page_policy(true);
        assert!(policy.contains("script-src 'self';"), "{policy}");
        assert!(policy.contains("style-src 'self';"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("http:"), "{policy}");
        assert!(page_policy(false).contains("img-src 'self' data: blob: https: http:;"));
    }
}
