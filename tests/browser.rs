//! A browser for tests of the instance's own pages: it keeps cookies, does not follow
//! redirects (tests look at each one), and reads the hidden fields of forms, as a
//! person's browser would send them back.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use reqwest::header::LOCATION;

/// A page (or redirect) as the browser received it.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    /// Where a redirect points.
    pub location: Option<String>,
    /// The `Set-Cookie` headers.
    pub set_cookies: Vec<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// The hidden fields of the page's forms, in order: `(name, value)`.
    pub fn hidden_fields(&self) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        let mut rest = self.body.as_str();
        while let Some(start) = rest.find("<input type=\"hidden\" name=\"") {
            rest = &rest[start + "<input type=\"hidden\" name=\"".len()..];
            let name_end = rest.find('"').expect("a closing quote");
            let name = rest[..name_end].to_owned();
            rest = &rest[name_end..];
            let value_start = rest.find("value=\"").expect("a value") + "value=\"".len();
            rest = &rest[value_start..];
            let value_end = rest.find('"').expect("a closing quote");
            fields.push((name, unescape(&rest[..value_end])));
            rest = &rest[value_end..];
        }
        fields
    }

    /// The value of the hidden field `name`.
    pub fn hidden(&self, name: &str) -> Option<String> {
        self.hidden_fields()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// The CSRF token of the page's forms.
    pub fn csrf(&self) -> String {
        self.hidden("authenticity_token")
            .unwrap_or_else(|| panic!("no CSRF token on the page: {}", self.body))
    }

    /// The text between `<code id="oob-code">` and `</code>`, if any.
    pub fn oob_code(&self) -> Option<String> {
        let start = self.body.find("<code id=\"oob-code\">")? + "<code id=\"oob-code\">".len();
        let end = self.body[start..].find("</code>")?;
        Some(unescape(&self.body[start..start + end]))
    }

    /// Whether this is the sign-in form.
    pub fn is_sign_in_form(&self) -> bool {
        self.body.contains("action=\"/auth/sign_in\"")
    }

    /// Whether this is an app's consent page.
    pub fn is_consent_page(&self) -> bool {
        self.body.contains("name=\"decision\" value=\"approve\"")
    }
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A browser with its own cookie jar, pointed at one instance.
#[derive(Debug, Clone)]
pub struct Browser {
    base: String,
    http: reqwest::Client,
}

impl Browser {
    /// A fresh browser (no cookies) for the instance at `base`.
    pub fn new(base: &str) -> Self {
        Self::connecting_from(base, None)
    }

    /// A fresh browser whose connections leave from `address`: another loopback
    /// address (`127.0.0.2`) stands for a browser on another network.
    pub fn from_address(base: &str, address: std::net::IpAddr) -> Self {
        Self::connecting_from(base, Some(address))
    }

    fn connecting_from(base: &str, address: Option<std::net::IpAddr>) -> Self {
        Self {
            base: base.to_owned(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .local_address(address)
                .build()
                .expect("a client"),
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }

    async fn page(response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        let set_cookies = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        Page {
            status,
            location,
            set_cookies,
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    /// `GET path` (or a whole URL).
    pub async fn get(&self, path: &str) -> Page {
        Self::page(self.http.get(self.url(path)).send().await.unwrap()).await
    }

    /// `GET path`: the status, the `Content-Type` and the body's bytes (a file
    /// to save rather than a page).
    pub async fn get_bytes(&self, path: &str) -> (u16, String, Vec<u8>) {
        let response = self.http.get(self.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (
            status,
            content_type,
            response.bytes().await.unwrap().to_vec(),
        )
    }

    /// `POST path` with a form.
    pub async fn post(&self, path: &str, fields: &[(String, String)]) -> Page {
        Self::page(
            self.http
                .post(self.url(path))
                .form(fields)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// `POST path` with a multipart form: text `fields` and `files` as
    /// `(field name, file name, bytes)`, as a browser sends a form with file inputs.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(String, String)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Page {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.clone(), value.clone());
        }
        for (name, file_name, bytes) in files {
            let part =
                reqwest::multipart::Part::bytes(bytes.clone()).file_name(file_name.to_string());
            form = form.part(name.to_string(), part);
        }
        Self::page(
            self.http
                .post(self.url(path))
                .multipart(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Signs in as `username` with `password` through the sign-in page.
    pub async fn signed_in(base: &str, username: &str, password: &str) -> Self {
        let browser = Self::new(base);
        let form = browser.get("/auth/sign_in").await;
        let done = browser.sign_in(&form, username, password).await;
        assert_eq!(done.status, 303, "signing in {username}: {}", done.body);
        browser
    }

    /// Submits the sign-in form of `page` as `username` with `password`.
    pub async fn sign_in(&self, page: &Page, username: &str, password: &str) -> Page {
        assert!(
            page.is_sign_in_form(),
            "not the sign-in form: {}",
            page.body
        );
        let mut fields = page.hidden_fields();
        fields.push(("username".into(), username.into()));
        fields.push(("password".into(), password.into()));
        self.post("/auth/sign_in", &fields).await
    }

    /// Answers the consent `page` with `decision` (`approve` or `deny`).
    pub async fn decide(&self, page: &Page, decision: &str) -> Page {
        assert!(page.is_consent_page(), "not a consent page: {}", page.body);
        let mut fields = page.hidden_fields();
        fields.push(("decision".into(), decision.into()));
        self.post("/oauth/authorize", &fields).await
    }
}
