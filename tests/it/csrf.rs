//! Every form the web app posts is refused without its CSRF token: the routes are
//! read from the pages' router, so that a form added later is checked too.

use std::path::{Path, PathBuf};

use staffroom_tests::TestInstance;
use staffroom_tests::browser::Browser;

const PASSWORD: &str = "correct horse battery";

fn sources(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the sources are readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            sources(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The text of `text` from its start to the parenthesis that closes the one
/// already open.
fn until_closed(text: &str) -> &str {
    let mut depth = 1;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..at];
                }
            }
            _ => {}
        }
    }
    text
}

/// The path of every page route that takes a POST, its parameters filled in.
fn post_routes() -> Vec<String> {
    let http = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/http/src");
    let mut files = Vec::new();
    sources(&http, &mut files);
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("a source"))
        .collect();
    // Paths named by a constant (`groups::NEW_GROUP`).
    let constant = |name: &str| -> String {
        let wanted = format!("const {name}: &str = \"");
        texts
            .iter()
            .find_map(|text| {
                let start = text.find(&wanted)? + wanted.len();
                Some(text[start..].split('"').next()?.to_owned())
            })
            .unwrap_or_else(|| panic!("no constant {name}"))
    };
    let mut pages = Vec::new();
    sources(&http.join("pages"), &mut pages);
    let mut routes = Vec::new();
    for file in pages {
        let text = std::fs::read_to_string(&file).expect("a source");
        for chunk in text.split(".route(").skip(1) {
            let route = until_closed(chunk);
            let Some((path, handlers)) = route.split_once(',') else {
                continue;
            };
            if !handlers.contains("post(") {
                continue;
            }
            let path = path.trim();
            let path = match path.strip_prefix('"') {
                Some(literal) => literal.trim_end_matches('"').to_owned(),
                None => constant(path.rsplit("::").next().unwrap_or(path)),
            };
            let filled: Vec<String> = path
                .split('/')
                .map(|segment| match segment {
                    "{username}" | "@{username}" => segment.replace("{username}", "alice"),
                    s if s.starts_with('{') => "1".to_owned(),
                    s => s.to_owned(),
                })
                .collect();
            routes.push(filled.join("/"));
        }
    }
    routes.sort();
    routes.dedup();
    routes
}

#[tokio::test]
async fn no_page_form_is_taken_without_its_csrf_token() {
    let routes = post_routes();
    assert!(
        routes.len() > 40,
        "{} routes found: {routes:?}",
        routes.len()
    );
    for expected in ["/auth/sign_out", "/auth/password/new", "/@alice/follow"] {
        assert!(
            routes.contains(&expected.to_owned()),
            "{expected}: {routes:?}"
        );
    }

    let instance = TestInstance::start().await;
    instance
        .create_user("alice", &["--password-stdin", "--role", "admin"])
        .await;
    let signed_in = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let stranger = Browser::new(&instance.base);
    for (browser, is_stranger) in [(&signed_in, false), (&stranger, true)] {
        for path in &routes {
            let fields = vec![("x".to_owned(), "1".to_owned())];
            let page = browser.post(path, &fields).await;
            // Someone not signed in may be sent to sign in first.
            if is_stranger
                && page.status == 303
                && page
                    .location
                    .as_deref()
                    .is_some_and(|l| l.contains("/auth/sign_in"))
            {
                continue;
            }
            // 403 (the expired form), or a 4xx for what the request names not
            // being there: never an answer that did something.
            assert!(
                (400..500).contains(&page.status),
                "POST {path} without a token answered {}: {}",
                page.status,
                page.body
            );
            if page.status == 403 {
                assert!(
                    page.body.contains("This form has expired") || page.body.contains("403"),
                    "{path}: {}",
                    page.body
                );
            }
        }
    }
    // The account is untouched: still signed in, still able to post a form
    // with the token.
    let home = signed_in.get("/home").await;
    assert_eq!(home.status, 200, "{}", home.body);
    instance.shut_down().await;
}
