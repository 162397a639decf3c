//! The directory on actors: a leader's role, school and trust, and a trust's or
//! school's details, as `PropertyValue` profile fields (which Mastodon and others
//! show) and as structured values in the `staffroom:` JSON-LD namespace, which
//! Staffroom instances read back ([`read`]) and keep in their directory (see
//! `person`, where remote actors are stored).

use serde_json::{Map, Value, json};
use staffroom_domain::accounts::account::{Account, AccountKind};
use staffroom_domain::directory::leader::{self, Leader};
use staffroom_domain::directory::remote::{RemoteLeader, RemoteSchool, RemoteTrust};
use staffroom_domain::directory::school::{self, School, SchoolFilter};
use staffroom_domain::directory::trust::{self, Trust};
use staffroom_domain::directory::{OrgRef, Origin};
use staffroom_domain::page::Page;

use crate::LocalUrls;
use crate::error::Error;
use crate::objects::actor::actor_id;
use crate::protocol::actor::{Actor, RemoteActorObject, property_value};

/// The IRI of Staffroom's vocabulary; actors name it `staffroom` in their context.
pub const NAMESPACE: &str = "https://staffroom.social/ns#";

/// The most schools a trust's actor lists, and the most a reader fetches.
const MAX_LISTED_SCHOOLS: u64 = 40;
const MAX_FETCHED_SCHOOLS: usize = 10;

/// What the directory says of a local account.
#[derive(Debug, Clone)]
pub enum Record {
    Trust(Box<Trust>, Vec<School>),
    School(Box<School>),
    Leader(Box<Leader>),
}

/// The directory record of the local `account`, if it has one.
pub async fn record(
    db: &staffroom_domain::Database,
    account: &Account,
) -> Result<Option<Record>, Error> {
    match account.kind {
        AccountKind::Organization => {
            if let Ok(found) = trust::get(db, account.id).await {
                let filter = SchoolFilter {
                    trust_id: Some(found.id()),
                    origin: Origin::Local,
                    ..Default::default()
                };
                let page = Page {
                    limit: Some(MAX_LISTED_SCHOOLS),
                    ..Default::default()
                };
                let schools = school::list(db, &filter, page).await?;
                return Ok(Some(Record::Trust(Box::new(found), schools)));
            }
            Ok(school::get(db, account.id)
                .await
                .ok()
                .map(|s| Record::School(Box::new(s))))
        }
        AccountKind::Person => Ok(leader::find(db, account.id)
            .await?
            .map(|l| Record::Leader(Box::new(l)))),
        _ => Ok(None),
    }
}

/// The id of an account's actor, local or remote.
fn uri(urls: &LocalUrls, account: &Account) -> String {
    if account.is_local() {
        actor_id(urls, account)
    } else {
        account.uri.clone().unwrap_or_default()
    }
}

/// A link to an organisation for a profile field.
fn link(urls: &LocalUrls, org: &OrgRef) -> String {
    let href = if org.account.is_local() {
        urls.profile(&org.account.username)
    } else {
        org.account
            .remote
            .as_ref()
            .and_then(|r| r.url.clone())
            .or_else(|| org.account.uri.clone())
            .unwrap_or_default()
    };
    format!(
        "<a href=\"{}\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">{}</a>",
        staffroom_domain::html::escape(&href),
        staffroom_domain::html::escape(&org.name)
    )
}

fn put(map: &mut Map<String, Value>, name: &str, value: impl Into<Value>) {
    let value = value.into();
    if !value.is_null() {
        map.insert(format!("staffroom:{name}"), value);
    }
}

/// What a leader's profile shows as name/value fields (values as HTML): their
/// role, their school with its place, their trust — for other servers as
/// `PropertyValue`s, and for apps here among the account's fields.
pub fn leader_fields(urls: &LocalUrls, leader: &Leader) -> Vec<(&'static str, String)> {
    let mut fields = vec![("Role", staffroom_domain::html::escape(leader.role.label()))];
    if let Some(school) = &leader.school {
        let place = match school.place() {
            Some(place) => format!(
                "{} ({})",
                link(urls, school),
                staffroom_domain::html::escape(place)
            ),
            None => link(urls, school),
        };
        fields.push(("School", place));
    }
    if let Some(trust) = &leader.trust {
        fields.push(("Trust", link(urls, trust)));
    }
    fields
}

/// Adds what the directory says of the account to its actor document.
pub fn extend(actor: &mut Actor, urls: &LocalUrls, record: &Record) {
    let mut ext = Map::new();
    match record {
        Record::Trust(trust, schools) => {
            put(&mut ext, "directoryType", "trust");
            put(&mut ext, "trustKind", trust.kind.as_str());
            put(&mut ext, "region", trust.region.map(|r| r.as_str()));
            put(&mut ext, "website", trust.website.clone());
            let listed: Vec<Value> = schools
                .iter()
                .map(|s| Value::String(uri(urls, &s.account)))
                .collect();
            put(&mut ext, "schools", listed);
        }
        Record::School(school) => {
            put(&mut ext, "directoryType", "school");
            put(&mut ext, "urn", school.urn.clone());
            put(&mut ext, "phase", school.phase.as_str());
            put(&mut ext, "schoolType", school.school_type.clone());
            put(&mut ext, "region", school.region.map(|r| r.as_str()));
            put(&mut ext, "localAuthority", school.local_authority.clone());
            put(
                &mut ext,
                "inspectionGrade",
                school.inspection_grade.as_str(),
            );
            put(
                &mut ext,
                "inspectionDate",
                school
                    .inspection_date
                    .map(|d| d.format("%Y-%m-%d").to_string()),
            );
            put(
                &mut ext,
                "trust",
                school.trust.as_ref().map(|t| uri(urls, &t.account)),
            );
            put(&mut ext, "website", school.website.clone());
        }
        Record::Leader(leader) => {
            put(&mut ext, "directoryType", "leader");
            put(&mut ext, "role", leader.role.as_str());
            put(
                &mut ext,
                "school",
                leader.school.as_ref().map(|s| uri(urls, &s.account)),
            );
            put(
                &mut ext,
                "trust",
                leader.trust.as_ref().map(|t| uri(urls, &t.account)),
            );
            put(&mut ext, "interests", leader.interests.clone());
            put(&mut ext, "membershipConfirmed", leader.is_confirmed());
            for (name, value) in leader_fields(urls, leader) {
                actor.attachment.push(property_value(name, &value));
            }
        }
    }
    if let Value::Array(context) = &mut actor.context {
        context.push(json!({ "staffroom": NAMESPACE }));
    }
    actor.extension = ext;
}

fn text(ext: &Map<String, Value>, name: &str) -> Option<String> {
    ext.get(&format!("staffroom:{name}"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The strings of the array `staffroom:{name}` (none when it is not an array).
fn texts(ext: &Map<String, Value>, name: &str) -> Vec<String> {
    ext.get(&format!("staffroom:{name}"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// What a remote actor says of itself in the directory: the record to keep, and
/// the actors it links to, by id, for whoever stores it to look up (or fetch).
#[derive(Debug, Clone)]
pub enum Said {
    /// A trust, and the first schools it lists (those a reader fetches).
    Trust {
        record: RemoteTrust,
        schools: Vec<String>,
    },
    /// A school, and its trust.
    School {
        record: RemoteSchool,
        trust: Option<String>,
    },
    /// A leader, and their school and trust.
    Leader {
        record: RemoteLeader,
        school: Option<String>,
        trust: Option<String>,
    },
    /// Nothing: the actor is not (or no longer) in the directory.
    Nothing,
}

/// Reads what the remote actor `json` says of itself in the directory.
pub fn read(json: &RemoteActorObject) -> Said {
    let ext = &json.extension;
    let name = json
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| json.preferred_username.clone());
    match text(ext, "directoryType").as_deref() {
        Some("trust") if json.kind == "Organization" => Said::Trust {
            record: RemoteTrust {
                name,
                kind: text(ext, "trustKind").unwrap_or_default(),
                website: text(ext, "website"),
                region: text(ext, "region"),
                description: json.summary.clone().unwrap_or_default(),
            },
            schools: texts(ext, "schools")
                .into_iter()
                .take(MAX_FETCHED_SCHOOLS)
                .collect(),
        },
        Some("school") if json.kind == "Organization" => Said::School {
            record: RemoteSchool {
                urn: text(ext, "urn").unwrap_or_default(),
                name,
                phase: text(ext, "phase").unwrap_or_default(),
                school_type: text(ext, "schoolType").unwrap_or_default(),
                region: text(ext, "region"),
                local_authority: text(ext, "localAuthority"),
                inspection_grade: text(ext, "inspectionGrade"),
                inspection_date: text(ext, "inspectionDate"),
                trust: None,
                website: text(ext, "website"),
            },
            trust: text(ext, "trust"),
        },
        Some("leader") => Said::Leader {
            record: RemoteLeader {
                role: text(ext, "role").unwrap_or_default(),
                school: None,
                trust: None,
                interests: texts(ext, "interests"),
                confirmed: ext
                    .get("staffroom:membershipConfirmed")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            },
            school: text(ext, "school"),
            trust: text(ext, "trust"),
        },
        _ => Said::Nothing,
    }
}
