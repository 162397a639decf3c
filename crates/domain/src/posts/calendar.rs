//! Events as iCalendar (RFC 5545) text, for calendar apps: one event's file, or
//! a feed of several. Times are written in UTC, so no time zone definitions are
//! needed; the event's own zone is named in `X-WR-TIMEZONE` only as a hint for
//! a single event's file. Text is escaped and lines are folded at 75 octets.

use chrono::{DateTime, Utc};

use super::event::Event;

/// One event of a calendar, with what the event row does not hold.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub event: &'a Event,
    /// A unique, lasting id: the event's ActivityPub id.
    pub uid: String,
    /// Its page.
    pub url: String,
    pub organiser_name: String,
    /// The organiser's profile.
    pub organiser_url: String,
    /// When the post was written or last edited.
    pub stamp: DateTime<Utc>,
}

/// `text` escaped as an iCalendar TEXT value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: quoted, without the characters a quoted value cannot hold.
fn param(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    format!("\"{cleaned}\"")
}

/// `line` folded at 75 octets (never inside a character), ended with CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The plain text of sanitised `html`: paragraphs and line breaks kept, tags
/// dropped, entities undone.
pub fn text_of_html(html: &str) -> String {
    let with_breaks = html
        .replace("</p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let mut text = String::with_capacity(with_breaks.len());
    let mut in_tag = false;
    for c in with_breaks.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

fn vevent(entry: &Entry<'_>, now: DateTime<Utc>, out: &mut String) {
    let event = entry.event;
    let mut lines = vec![
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", escape(&entry.uid)),
        format!("DTSTAMP:{}", utc(now)),
        format!("LAST-MODIFIED:{}", utc(entry.stamp)),
        format!("DTSTART:{}", utc(event.starts_at)),
        format!("DTEND:{}", utc(event.ends_at)),
        format!("SUMMARY:{}", escape(&event.title)),
    ];
    let mut description = text_of_html(&event.description);
    if let Some(online) = &event.online_url {
        description.push_str(&format!("\n\nOnline: {online}"));
    }
    if let Some(booking) = &event.external_url {
        description.push_str(&format!("\n\nBook at: {booking}"));
    }
    description.push_str(&format!("\n\n{}", entry.url));
    lines.push(format!("DESCRIPTION:{}", escape(description.trim())));
    let place = event.place_text();
    if !place.is_empty() {
        lines.push(format!("LOCATION:{}", escape(&place)));
    }
    lines.push(format!("URL:{}", entry.url));
    lines.push(format!(
        "ORGANIZER;CN={}:{}",
        param(&entry.organiser_name),
        entry.organiser_url
    ));
    lines.push("STATUS:CONFIRMED".to_owned());
    lines.push("END:VEVENT".to_owned());
    for line in lines {
        fold(&line, out);
    }
}

/// A calendar named `name` holding `entries`, made at `now`.
pub fn calendar(name: &str, entries: &[Entry<'_>], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Staffroom//Events//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ] {
        fold(&line, &mut out);
    }
    if let [only] = entries {
        fold(
            &format!("X-WR-TIMEZONE:{}", escape(&only.event.timezone)),
            &mut out,
        );
    }
    for entry in entries {
        vevent(entry, now, &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::posts::event::JoinMode;

    #[test]
    fn text_is_escaped_and_long_lines_are_folded_between_characters() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        fold(&long, &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line} is {} octets", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }

    #[test]
    fn an_event_is_a_vevent_in_utc() {
        let event = Event {
            post_id: 7,
            title: "Heads' conference, day 1; keynote".into(),
            description: "<p>Bring &amp; share.</p><p>Line<br>two</p>".into(),
            starts_at: Utc.with_ymd_and_hms(2027, 7, 1, 8, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2027, 7, 1, 15, 0, 0).unwrap(),
            timezone: "Europe/London".into(),
            place_name: Some("Kenn Centre".into()),
            address: Some("Exeter".into()),
            online_url: None,
            capacity: None,
            join_mode: JoinMode::Free,
            external_url: None,
            participant_count: 0,
        };
        let entry = Entry {
            event: &event,
            uid: "https://a.example/users/ann/statuses/7".into(),
            url: "https://a.example/events/7".into(),
            organiser_name: "Ann \"the head\"".into(),
            organiser_url: "https://a.example/@ann".into(),
            stamp: Utc.with_ymd_and_hms(2027, 6, 1, 0, 0, 0).unwrap(),
        };
        let ics = calendar("Ann's events", &[entry], Utc::now());
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nDTSTART:20270701T080000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20270701T150000Z\r\n"));
        assert!(ics.contains("\r\nSUMMARY:Heads' conference\\, day 1\\; keynote\r\n"));
        assert!(ics.contains("\r\nLOCATION:Kenn Centre\\, Exeter\r\n"));
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(
            "DESCRIPTION:Bring & share.\\n\\nLine\\ntwo\\n\\nhttps://a.example/events/7\r\n"
        ));
        assert!(unfolded.contains("ORGANIZER;CN=\"Ann the head\":https://a.example/@ann\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }
}
