//! Reading the shapes other servers really send: a value or an array of values, an
//! id or an embedded object.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Reads null, one value, or an array of values as a list.
pub fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Value>, D::Error> {
    Ok(match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items,
        Some(one) => vec![one],
    })
}

/// Reads null, one value or an array of values as the ids they name (strings, or
/// objects with an `id`); entries that name nothing are left out.
pub fn ids<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(one_or_many(deserializer)?
        .iter()
        .filter_map(id_of)
        .map(str::to_owned)
        .collect())
}

/// Reads an id, an object with an `id`, or the first of an array of them; `None`
/// when the value names nothing.
pub fn optional_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(one_or_many(deserializer)?
        .iter()
        .find_map(id_of)
        .map(str::to_owned))
}

/// The id a value names: itself when it is a string, its `id` (or `href`) when it is
/// an object.
pub fn id_of(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        Value::Object(map) => map
            .get("id")
            .or_else(|| map.get("href"))
            .and_then(Value::as_str),
        _ => None,
    }
}

/// The first link a `url` value holds, whatever its shape.
pub fn first_href(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => map.get("href").and_then(Value::as_str).map(str::to_owned),
        Value::Array(items) => items.iter().find_map(first_href),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "one_or_many")]
        to: Vec<Value>,
    }

    #[test]
    fn one_value_many_values_and_none_all_read_as_lists() {
        let read = |v: Value| {
            serde_json::from_value::<Holder>(v)
                .map(|h| h.to.len())
                .unwrap()
        };
        assert_eq!(read(json!({"to": "https://a"})), 1);
        assert_eq!(read(json!({"to": ["https://a", "https://b"]})), 2);
        assert_eq!(read(json!({"to": null})), 0);
        assert_eq!(read(json!({})), 0);
    }

    #[derive(Deserialize)]
    struct Addressed {
        #[serde(default, deserialize_with = "ids")]
        to: Vec<String>,
        #[serde(default, deserialize_with = "optional_id")]
        audience: Option<String>,
    }

    #[test]
    fn addressing_reads_as_ids_whatever_its_shape() {
        let read = |v: Value| serde_json::from_value::<Addressed>(v).unwrap();
        let one = read(json!({"to": "https://a", "audience": {"id": "https://g"}}));
        assert_eq!(one.to, ["https://a"]);
        assert_eq!(one.audience.as_deref(), Some("https://g"));
        let many =
            read(json!({"to": ["https://a", {"id": "https://b"}, 3], "audience": ["https://g"]}));
        assert_eq!(many.to, ["https://a", "https://b"]);
        assert_eq!(many.audience.as_deref(), Some("https://g"));
        let none = read(json!({"to": null}));
        assert!(none.to.is_empty() && none.audience.is_none());
    }

    #[test]
    fn ids_come_from_strings_and_objects() {
        assert_eq!(id_of(&json!("https://a")), Some("https://a"));
        assert_eq!(id_of(&json!({"id": "https://b"})), Some("https://b"));
        assert_eq!(id_of(&json!(3)), None);
        assert_eq!(
            first_href(&json!([{"type": "Link", "href": "https://c"}])).as_deref(),
            Some("https://c")
        );
    }
}
