//! The public URLs of this instance's actors, objects and pages, made in one place so
//! that every id the instance hands out has the same shape.

use staffroom_domain::accounts::export::LocalNames;
use url::Url;

/// Builds the URLs of this instance from its public domain and scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalUrls {
    base: Url,
    domain: String,
}

impl LocalUrls {
    /// The URLs of the instance at `domain` (a host name, with a port if not the
    /// default), reached over HTTPS when `https` is set.
    pub fn new(domain: &str, https: bool) -> Result<Self, url::ParseError> {
        let scheme = if https { "https" } else { "http" };
        let base = Url::parse(&format!("{scheme}://{domain}/"))?;
        if base.host_str().is_none() || base.path() != "/" || base.query().is_some() {
            return Err(url::ParseError::InvalidDomainCharacter);
        }
        Ok(Self {
            domain: domain.to_ascii_lowercase(),
            base,
        })
    }

    /// The instance's domain, as in `acct:user@domain`.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// `https://domain` with no trailing slash.
    pub fn origin(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_owned()
    }

    /// Whether the instance is reached over HTTPS.
    pub fn is_https(&self) -> bool {
        self.base.scheme() == "https"
    }

    /// The absolute URL of `path` (which starts with `/`) on this instance.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// The streaming API's base URL (`wss://domain` or `ws://domain`).
    pub fn streaming(&self) -> String {
        let scheme = if self.is_https() { "wss" } else { "ws" };
        format!("{scheme}://{}", self.domain)
    }

    /// The ActivityPub id of the local account `username`.
    pub fn actor(&self, username: &str) -> String {
        self.absolute(&format!("/users/{username}"))
    }

    /// The ActivityPub id of the instance actor.
    pub fn instance_actor(&self) -> String {
        self.absolute("/actor")
    }

    /// The shared inbox of the instance.
    pub fn shared_inbox(&self) -> String {
        self.absolute("/inbox")
    }

    /// The profile page of the local account `username`.
    pub fn profile(&self, username: &str) -> String {
        self.absolute(&format!("/@{username}"))
    }

    /// The ActivityPub id of the local post `id`.
    pub fn post(&self, username: &str, id: i64) -> String {
        self.absolute(&format!("/users/{username}/statuses/{id}"))
    }

    /// The web page of the local post `id`.
    pub fn post_page(&self, username: &str, id: i64) -> String {
        self.absolute(&format!("/@{username}/{id}"))
    }

    /// The URL of the stored media file `file`.
    pub fn media(&self, file: &str) -> String {
        self.absolute(&format!("/media/{file}"))
    }

    /// The page of the event of the local post `post_id`.
    pub fn event_page(&self, post_id: i64) -> String {
        self.absolute(&format!("/events/{post_id}"))
    }

    /// The page of the article of the local post `post_id` by `username`.
    pub fn article_page(&self, username: &str, post_id: i64) -> String {
        self.absolute(&format!("/@{username}/articles/{post_id}"))
    }

    /// The iCalendar file of the event of the local post `post_id`.
    pub fn event_calendar(&self, post_id: i64) -> String {
        self.absolute(&format!("/events/{post_id}.ics"))
    }

    /// The page of the hashtag `name` (already normalised).
    pub fn tag(&self, name: &str) -> String {
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.clear().push("tags").push(name);
        }
        url.to_string()
    }

    /// The tag whose page or feed actor `url` is, if it is one of this instance's
    /// (as given, not yet normalised).
    pub fn local_tag(&self, url: &str) -> Option<String> {
        let path = url.strip_prefix(&self.origin())?;
        let encoded = path.strip_prefix("/tags/")?;
        if encoded.is_empty() || encoded.contains(['/', '?', '#']) {
            return None;
        }
        let name = percent_encoding::percent_decode_str(encoded)
            .decode_utf8()
            .ok()?;
        Some(name.into_owned())
    }

    /// The id of the local post whose ActivityPub id `url` is, if it is one.
    pub fn local_post_id(&self, url: &str) -> Option<i64> {
        let path = url.strip_prefix(&self.origin())?;
        let rest = path.strip_prefix("/users/")?;
        let (_, id) = rest.split_once("/statuses/")?;
        id.parse().ok()
    }

    /// The username a local actor or profile URL names, if `url` is one.
    pub fn local_username(&self, url: &str) -> Option<String> {
        let path = url.strip_prefix(&self.origin())?;
        let name = path
            .strip_prefix("/users/")
            .or_else(|| path.strip_prefix("/@"))?;
        (!name.is_empty() && !name.contains('/')).then(|| name.to_owned())
    }
}

/// Links in rendered local posts point at this instance's pages, or at a remote
/// account's own profile page.
impl staffroom_domain::posts::compose::Links for LocalUrls {
    fn tag(&self, name: &str) -> String {
        LocalUrls::tag(self, name)
    }

    fn profile(&self, account: &staffroom_domain::accounts::account::Account) -> String {
        match (&account.remote, &account.uri) {
            (Some(remote), _) if remote.url.is_some() => remote.url.clone().unwrap_or_default(),
            (_, Some(uri)) => uri.clone(),
            _ => LocalUrls::profile(self, &account.username),
        }
    }

    fn local_domain(&self) -> &str {
        self.domain()
    }

    fn event(&self, post_id: i64) -> String {
        self.event_page(post_id)
    }

    fn article(&self, username: &str, post_id: i64) -> String {
        self.article_page(username, post_id)
    }

    fn media_prefix(&self) -> String {
        self.media("")
    }
}

/// How exported files name this instance's accounts and posts.
impl LocalNames for LocalUrls {
    fn domain(&self) -> &str {
        &self.domain
    }

    fn post_uri(&self, username: &str, id: i64) -> String {
        self.post(username, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_configured_scheme_and_domain() -> Result<(), url::ParseError> {
        let urls = LocalUrls::new("Staff.Example.org", true)?;
        assert_eq!(urls.domain(), "staff.example.org");
        assert_eq!(urls.actor("alice"), "https://staff.example.org/users/alice");
        assert_eq!(urls.profile("alice"), "https://staff.example.org/@alice");
        assert_eq!(urls.streaming(), "wss://staff.example.org");
        let local = LocalUrls::new("localhost:8080", false)?;
        assert_eq!(local.origin(), "http://localhost:8080");
        assert_eq!(local.streaming(), "ws://localhost:8080");
        Ok(())
    }

    #[test]
    fn a_domain_with_a_path_or_spaces_is_refused() {
        assert!(LocalUrls::new("example.org/x", true).is_err());
        assert!(LocalUrls::new("exa mple.org", true).is_err());
        assert!(LocalUrls::new("", true).is_err());
    }

    #[test]
    fn local_actor_and_profile_urls_name_their_user() -> Result<(), url::ParseError> {
        let urls = LocalUrls::new("example.org", true)?;
        assert_eq!(
            urls.local_username("https://example.org/users/bob"),
            Some("bob".into())
        );
        assert_eq!(
            urls.local_username("https://example.org/@bob"),
            Some("bob".into())
        );
        assert_eq!(urls.local_username("https://example.org/@bob/1"), None);
        assert_eq!(urls.local_username("https://other.org/users/bob"), None);
        Ok(())
    }

    #[test]
    fn tag_urls_name_their_tag_however_it_is_spelled() -> Result<(), url::ParseError> {
        let urls = LocalUrls::new("example.org", true)?;
        let page = urls.tag("ümläütß");
        assert_eq!(page, "https://example.org/tags/%C3%BCml%C3%A4%C3%BCt%C3%9F");
        assert_eq!(urls.local_tag(&page), Some("ümläütß".into()));
        assert_eq!(
            urls.local_tag("https://example.org/tags/ambitionfeed"),
            Some("ambitionfeed".into())
        );
        assert_eq!(urls.local_tag("https://example.org/tags/a/inbox"), None);
        assert_eq!(urls.local_tag("https://other.org/tags/a"), None);
        Ok(())
    }
}
