//! Property-based fuzzing of the Mastodon API's parameters: request bodies as forms
//! and JSON into the real request types, nested Rails-style forms, booleans and
//! numbers, lists in query strings, record ids in paths, and pagination cursors
//! with the `Link` header written from them. Whatever an app sends, nothing
//! panics, a refusal is a 4xx, and the `Link` header reads back into its cursors.
//!
//! `PROPTEST_CASES` sets the number of cases per property (256 by default here);
//! docs/fuzzing.md says how to fuzz for longer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::Uri;
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

use crate::error::ApiError;
use crate::form::{FormOrJson, Params};
use crate::pagination::Pagination;
use crate::params;
use crate::path_id::record_id;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Parameter names the API reads, plain, bracketed and nested.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "status", "visibility", "spoiler_text", "in_reply_to_id", "language",
            "media_ids", "media_ids[]", "poll[options][]", "poll[expires_in]",
            "poll[multiple]", "poll[hide_totals]", "poll", "scheduled_at", "sensitive",
            "account_id", "status_ids[]", "comment", "forward", "category", "rule_ids[]",
            "username", "email", "password", "agreement", "locale", "reason",
            "title", "context[]", "keywords_attributes[][keyword]",
            "keywords_attributes[0][keyword]", "keywords_attributes[1][whole_word]",
            "keywords_attributes[][_destroy]", "expires_in", "filter_action",
            "max_id", "since_id", "min_id", "limit", "offset", "local", "remote", "only_media",
            "a[b][c][d]", "[", "]", "[]", "a[", "a]", "",
        ]).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

/// Values apps send, and anything else.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::sample::select(vec![
            "true", "false", "1", "0", "True", "FALSE", "yes", "", " ", "-1",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "1e3", "0x10", " 12 ", "null", "[]", "{}",
            "public", "unlisted", "private", "direct", "2030-01-01T00:00:00Z",
        ]).prop_map(str::to_owned),
        1 => "[0-9]{1,25}",
        1 => any::<String>(),
    ]
}

/// A form body, percent-encoded or raw.
fn form_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::collection::vec((name(), value()), 0..12).prop_map(|pairs| {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            for (name, value) in &pairs {
                form.append_pair(name, value);
            }
            form.finish().into_bytes()
        }),
        1 => "[a-z_\\[\\]=&%0-9+]{0,64}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..128),
    ]
}

/// Any JSON value a few levels deep, with the API's names as keys.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        value().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((name(), inner), 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// A JSON body: a value written out, or bytes that may not be JSON at all.
fn json_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        1 => prop::collection::vec(any::<u8>(), 0..128),
    ]
}

fn request(body: Vec<u8>, json: bool) -> Request {
    let mut builder = Request::builder().method("POST").uri("/api/v1/statuses");
    if json {
        builder = builder.header("content-type", "application/json");
    } else {
        builder = builder.header("content-type", "application/x-www-form-urlencoded");
    }
    builder.body(Body::from(body)).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// A refusal is the client's fault, never the server's.
fn assert_client_error(error: &ApiError) {
    assert!(
        error.status().is_client_error(),
        "{:?} answered {}",
        error,
        error.status()
    );
}

/// The body read into the request types of the busiest endpoints.
fn read_body(body: Vec<u8>, json: bool) {
    let runtime = runtime();
    runtime.block_on(async {
        if let Err(e) = FormOrJson::<crate::api::v1::statuses::NewStatus>::from_request(
            request(body.clone(), json),
            &(),
        )
        .await
        {
            assert_client_error(&e);
        }
        if let Err(e) = FormOrJson::<crate::api::v1::reports::NewReportForm>::from_request(
            request(body.clone(), json),
            &(),
        )
        .await
        {
            assert_client_error(&e);
        }
        if let Err(e) = FormOrJson::<crate::api::v1::sign_up::SignUpParams>::from_request(
            request(body.clone(), json),
            &(),
        )
        .await
        {
            assert_client_error(&e);
        }
        match Params::from_request(request(body.clone(), json), &()).await {
            Ok(Params(value)) => {
                assert!(value.is_object());
                if !json {
                    // A form nests at most two levels below its fields and keeps
                    // no more values than it had pairs: written as JSON it grows
                    // at most by the escape of a control byte (`\u000e`, six
                    // bytes) and the quotes and brackets around each pair.
                    let size = serde_json::to_string(&value).unwrap().len();
                    assert!(size <= 8 * body.len() + 16, "{size} from {}", body.len());
                }
            }
            Err(e) => assert_client_error(&e),
        }
    });
}

/// Found by a long run: a one-byte form of a control character is 13 bytes of
/// JSON; the bound allows for escapes.
#[test]
fn a_form_of_a_control_byte_is_read_within_its_bound() {
    read_body(vec![14], false);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn form_bodies_are_read_or_refused_with_a_4xx(body in form_body()) {
        read_body(body, false);
    }

    #[test]
    fn json_bodies_are_read_or_refused_with_a_4xx(body in json_body()) {
        read_body(body, true);
    }

    #[test]
    fn booleans_and_numbers_are_read_or_refused(text in value(), json in json()) {
        for result in [params::flag("x", Some(&text)), params::loose_flag("x", &json)] {
            if let Err(e) = result {
                assert_client_error(&e);
            }
        }
        if let Err(e) = params::loose_number("x", &json) {
            assert_client_error(&e);
        }
        match params::number("x", Some(&text), 20) {
            Ok(n) => prop_assert_eq!(Some(n), text.parse::<u64>().ok().or((text.is_empty()).then_some(20))),
            Err(e) => assert_client_error(&e),
        }
        if let Err(e) = record_id(&text) {
            prop_assert_eq!(e.status().as_u16(), 404);
        }
    }

    #[test]
    fn offsets_and_limits_stay_within_their_bounds(
        offset in prop::option::of(value()),
        limit in prop::option::of(value()),
    ) {
        let page: params::OffsetPage = serde_json::from_value(serde_json::json!({
            "offset": offset, "limit": limit,
        })).unwrap();
        match page.read(40, 80, 1000) {
            Ok((offset, limit)) => prop_assert!(offset <= 1000 && (1..=80).contains(&limit)),
            Err(e) => assert_client_error(&e),
        }
    }

    #[test]
    fn lists_in_query_strings_are_bounded(
        pairs in prop::collection::vec((name(), value()), 0..40),
        max in 0usize..20,
    ) {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &pairs {
            query.append_pair(name, value);
        }
        let query = query.finish();
        let ids = params::list(Some(&query), "media_ids", max);
        prop_assert!(ids.len() <= max);
        prop_assert!(ids.iter().all(|id| !id.is_empty()));
    }

    #[test]
    fn pagination_cursors_are_read_and_linked_back(
        pairs in prop::collection::vec((name(), value()), 0..10),
        newest in 0i64..i64::MAX,
        oldest in 0i64..i64::MAX,
        path in "/api/v1/[a-z_/]{0,20}",
    ) {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &pairs {
            query.append_pair(name, value);
        }
        let Ok(uri) = format!("{path}?{}", query.finish()).parse::<Uri>() else {
            return Ok(());
        };
        let pagination = match Pagination::read(&uri) {
            Ok(p) => p,
            Err(e) => {
                assert_client_error(&e);
                return Ok(());
            }
        };
        let link = pagination
            .link("https://x.example", Some(newest), Some(oldest))
            .expect("a Link header");
        let link = link.to_str().unwrap();
        // The next page's URL reads back as the cursor it was written with, the
        // other parameters kept.
        let next = link
            .split(">; rel=\"next\"")
            .next()
            .unwrap()
            .trim_start_matches('<')
            .trim_start_matches("https://x.example");
        let next: Uri = next.parse().unwrap();
        let read = Pagination::read(&next).unwrap();
        prop_assert_eq!(read.page.max_id, Some(oldest));
        prop_assert_eq!(read.page.limit, pagination.page.limit);
    }
}
