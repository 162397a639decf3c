//! A small Mastodon API client for tests: one signed-in person (or nobody) talking
//! to an instance over HTTP, with answers read as status, JSON and `Link` header.

use reqwest::Method;
use serde_json::Value;

/// An answer of the API.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub link: Option<String>,
}

impl Reply {
    /// The body's array (empty when it is none).
    pub fn items(&self) -> Vec<Value> {
        self.body.as_array().cloned().unwrap_or_default()
    }

    /// The `id` of each item of the body's array.
    pub fn ids(&self) -> Vec<String> {
        self.strings("id")
    }

    /// The string `key` of each item of the body's array.
    pub fn strings(&self, key: &str) -> Vec<String> {
        self.items()
            .iter()
            .map(|item| item[key].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// The URL of the `Link` header's `rel` ("next" or "prev").
    pub fn link_to(&self, rel: &str) -> Option<String> {
        self.link.as_deref()?.split(", ").find_map(|part| {
            part.ends_with(&format!("rel=\"{rel}\""))
                .then(|| part.split('>').next())
                .flatten()
                .map(|url| url.trim_start_matches('<').to_owned())
        })
    }

    /// Panics unless the status is `expected`, showing the body.
    #[track_caller]
    pub fn expect(self, expected: u16) -> Self {
        assert_eq!(self.status, expected, "unexpected answer: {}", self.body);
        self
    }
}

/// A request body.
enum Body {
    Json(Value),
    Form(Vec<(String, String)>),
}

/// Someone using the API of the instance at `base`.
#[derive(Debug, Clone)]
pub struct ApiClient {
    pub base: String,
    pub token: Option<String>,
    pub http: reqwest::Client,
}

impl ApiClient {
    /// A client for `base` with `token` (none for an anonymous visitor).
    pub fn new(base: &str, token: Option<String>) -> Self {
        Self {
            base: base.to_owned(),
            token,
            http: reqwest::Client::new(),
        }
    }

    /// Sends `method path_or_url` with `body` as JSON (none for no body).
    pub async fn send(&self, method: Method, path_or_url: &str, body: Option<Value>) -> Reply {
        self.send_body(method, path_or_url, body.map(Body::Json))
            .await
    }

    /// Sends `method path` with a form body of `pairs`, as Mastodon.py and toot do.
    pub async fn send_form(&self, method: Method, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let pairs = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.send_body(method, path, Some(Body::Form(pairs))).await
    }

    async fn send_body(&self, method: Method, path_or_url: &str, body: Option<Body>) -> Reply {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            format!("{}{path_or_url}", self.base)
        };
        let mut request = self.http.request(method.clone(), &url);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        match body {
            Some(Body::Json(body)) => request = request.json(&body),
            Some(Body::Form(pairs)) => request = request.form(&pairs),
            None => {}
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = response.status().as_u16();
        let link = response
            .headers()
            .get("link")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{method} {url}: the answer is not JSON: {text}"));
        Reply { status, body, link }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    /// Posts `text` publicly; the new status.
    pub async fn status(&self, text: &str) -> Value {
        self.post("/api/v1/statuses", serde_json::json!({ "status": text }))
            .await
            .expect(200)
            .body
    }

    /// The account `acct` (`name` or `name@server`) as this instance knows it.
    pub async fn lookup(&self, acct: &str) -> Value {
        self.get(&format!("/api/v1/accounts/lookup?acct={acct}"))
            .await
            .expect(200)
            .body
    }
}

/// The profile fields of a Mastodon `Account`, each as `name: value`.
pub fn profile_fields(account: &Value) -> Vec<String> {
    account["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| {
                    format!(
                        "{}: {}",
                        f["name"].as_str().unwrap_or_default(),
                        f["value"].as_str().unwrap_or_default()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
