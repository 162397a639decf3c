//! Rails-style parameters as Mastodon apps send them: booleans as `true/false/1/0`,
//! lists as `name[]=a&name[]=b` in query strings.

use crate::error::ApiError;

/// The boolean parameter `name`: absent or empty is false; 400 for anything but
/// `true`, `false`, `1` or `0`.
pub fn flag(name: &str, value: Option<&str>) -> Result<bool, ApiError> {
    match value {
        None | Some("" | "false" | "0" | "False" | "FALSE") => Ok(false),
        Some("true" | "1" | "True" | "TRUE") => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!(
            "{name}: '{other}' is not a boolean"
        ))),
    }
}

/// A boolean of a form or JSON body: `true`/`false` or the strings `flag` accepts.
pub fn loose_flag(name: &str, value: &serde_json::Value) -> Result<bool, ApiError> {
    match value {
        serde_json::Value::Bool(b) => Ok(*b),
        serde_json::Value::Number(n) => Ok(n.as_i64() == Some(1)),
        serde_json::Value::String(s) => flag(name, Some(s)),
        serde_json::Value::Null => Ok(false),
        _ => Err(ApiError::bad_request(format!("{name} is not a boolean"))),
    }
}

/// A whole number of a form or JSON body, given as a number or a string.
pub fn loose_number(name: &str, value: &serde_json::Value) -> Result<i64, ApiError> {
    match value {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) if s.is_empty() => Some(0),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        serde_json::Value::Null => Some(0),
        _ => None,
    }
    .ok_or_else(|| ApiError::bad_request(format!("{name} is not a number")))
}

/// The whole-number query parameter `name`: `default` when absent or empty; 400
/// for anything but digits.
pub fn number(name: &str, value: Option<&str>, default: u64) -> Result<u64, ApiError> {
    match value {
        None | Some("") => Ok(default),
        Some(n) => n
            .parse()
            .map_err(|_| ApiError::bad_request(format!("{name} must be a number"))),
    }
}

/// `offset` and `limit` of a list paged by position (the directory, trends).
#[derive(Debug, Default, serde::Deserialize)]
pub struct OffsetPage {
    offset: Option<String>,
    limit: Option<String>,
}

impl OffsetPage {
    /// The offset (at most `max_offset`) and the limit (`default_limit` when not
    /// given, from 1 to `max_limit`); 400 when either is no number.
    pub fn read(
        &self,
        default_limit: u64,
        max_limit: u64,
        max_offset: u64,
    ) -> Result<(u64, u64), ApiError> {
        let offset = number("offset", self.offset.as_deref(), 0)?.min(max_offset);
        let limit = number("limit", self.limit.as_deref(), default_limit)?.clamp(1, max_limit);
        Ok((offset, limit))
    }
}

/// Every value of the list parameter `name` (given as `name[]` or `name`) in the
/// query string `query`, at most `max`.
pub fn list(query: Option<&str>, name: &str, max: usize) -> Vec<String> {
    let bracketed = format!("{name}[]");
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(key, value)| (key == name || key == &bracketed) && !value.is_empty())
        .map(|(_, value)| value.into_owned())
        .take(max)
        .collect()
}

/// A record id of a JSON body, given as a string or a number.
pub fn id_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn booleans_are_read_the_rails_way() {
        assert!(flag("local", Some("true")).unwrap());
        assert!(flag("local", Some("1")).unwrap());
        assert!(!flag("local", Some("0")).unwrap());
        assert!(!flag("local", None).unwrap());
        assert!(flag("local", Some("yes please")).is_err());
    }

    #[test]
    fn lists_take_bracketed_and_plain_names() {
        let query = Some("id[]=1&id[]=2&id=3&other=4&id[]=");
        assert_eq!(list(query, "id", 10), ["1", "2", "3"]);
        assert_eq!(list(query, "id", 2), ["1", "2"]);
    }
}
