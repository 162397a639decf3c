//! The directory's JSON: trusts, schools and leaders as this API shows them, built
//! from domain types.

use serde::Serialize;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::directory::OrgRef;
use staffroom_domain::directory::leader::Leader;
use staffroom_domain::directory::school::School;
use staffroom_domain::directory::trust::Trust;
use staffroom_federation::LocalUrls;
use staffroom_federation::objects::actor::actor_id;

use utoipa::ToSchema;

use super::openapi;
use crate::entities::timestamp;

/// Where an account lives and how to reach it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Presence {
    /// `name` here, `name@server` elsewhere.
    pub acct: String,
    /// Its ActivityPub id (what other servers follow).
    #[schema(format = "uri")]
    pub uri: String,
    /// Its page.
    #[schema(format = "uri")]
    pub url: String,
    /// Whether it lives on this instance.
    pub local: bool,
    /// Its server when it lives elsewhere.
    pub domain: Option<String>,
}

fn presence(urls: &LocalUrls, account: &Account) -> Presence {
    let (uri, url) = if account.is_local() {
        (actor_id(urls, account), urls.profile(&account.username))
    } else {
        let uri = account.uri.clone().unwrap_or_default();
        let url = account
            .remote
            .as_ref()
            .and_then(|r| r.url.clone())
            .unwrap_or_else(|| uri.clone());
        (uri, url)
    };
    Presence {
        acct: account.acct(),
        uri,
        url,
        local: account.is_local(),
        domain: account.domain.clone(),
    }
}

/// A trust or school another record names.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgLink {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub presence: Presence,
}

fn org_link(urls: &LocalUrls, org: &OrgRef) -> OrgLink {
    OrgLink {
        id: org.account.id.to_string(),
        name: org.name.clone(),
        presence: presence(urls, &org.account),
    }
}

/// A trust.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Trust)]
pub struct TrustEntity {
    pub id: String,
    pub name: String,
    pub slug: String,
    #[schema(schema_with = openapi::trust_kind)]
    pub kind: &'static str,
    pub website: Option<String>,
    #[schema(schema_with = openapi::region_or_null)]
    pub region: Option<&'static str>,
    pub description: String,
    #[serde(flatten)]
    pub presence: Presence,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// `trust` as JSON.
pub fn trust(urls: &LocalUrls, trust: &Trust) -> TrustEntity {
    TrustEntity {
        id: trust.id().to_string(),
        name: trust.name.clone(),
        slug: trust.slug.clone(),
        kind: trust.kind.as_str(),
        website: trust.website.clone(),
        region: trust.region.map(|r| r.as_str()),
        description: trust.description.clone(),
        presence: presence(urls, &trust.account),
        created_at: timestamp(trust.created_at),
        updated_at: timestamp(trust.updated_at),
    }
}

/// A school's latest inspection.
#[derive(Debug, Serialize, ToSchema)]
pub struct Inspection {
    #[schema(schema_with = openapi::inspection_grade)]
    pub grade: &'static str,
    /// `YYYY-MM-DD`, or null.
    #[schema(format = Date)]
    pub date: Option<String>,
}

/// A school.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = School)]
pub struct SchoolEntity {
    pub id: String,
    #[schema(pattern = "^[0-9]{6}$")]
    pub urn: String,
    pub name: String,
    #[schema(schema_with = openapi::phase)]
    pub phase: &'static str,
    #[serde(rename = "type")]
    pub school_type: String,
    #[schema(schema_with = openapi::region_or_null)]
    pub region: Option<&'static str>,
    pub local_authority: Option<String>,
    pub inspection: Inspection,
    pub trust: Option<OrgLink>,
    pub website: Option<String>,
    #[serde(flatten)]
    pub presence: Presence,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// `school` as JSON.
pub fn school(urls: &LocalUrls, school: &School) -> SchoolEntity {
    SchoolEntity {
        id: school.id().to_string(),
        urn: school.urn.clone(),
        name: school.name.clone(),
        phase: school.phase.as_str(),
        school_type: school.school_type.clone(),
        region: school.region.map(|r| r.as_str()),
        local_authority: school.local_authority.clone(),
        inspection: Inspection {
            grade: school.inspection_grade.as_str(),
            date: school
                .inspection_date
                .map(|d| d.format("%Y-%m-%d").to_string()),
        },
        trust: school.trust.as_ref().map(|t| org_link(urls, t)),
        website: school.website.clone(),
        presence: presence(urls, &school.account),
        created_at: timestamp(school.created_at),
        updated_at: timestamp(school.updated_at),
    }
}

/// A leader.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Leader)]
pub struct LeaderEntity {
    /// The leader's account id (as in the Mastodon API).
    pub id: String,
    pub display_name: String,
    #[schema(schema_with = openapi::leader_role)]
    pub role: &'static str,
    /// The region of their school, or of their trust when they name no school.
    #[schema(schema_with = openapi::region_or_null)]
    pub region: Option<&'static str>,
    pub school: Option<OrgLink>,
    pub trust: Option<OrgLink>,
    pub interests: Vec<String>,
    /// Whether an admin of the trust confirmed the membership.
    pub membership_confirmed: bool,
    #[serde(flatten)]
    pub presence: Presence,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// `leader` as JSON.
pub fn leader(urls: &LocalUrls, leader: &Leader) -> LeaderEntity {
    LeaderEntity {
        id: leader.id().to_string(),
        display_name: leader.account.display_name.clone(),
        role: leader.role.as_str(),
        region: leader.region().map(|r| r.as_str()),
        school: leader.school.as_ref().map(|s| org_link(urls, s)),
        trust: leader.trust.as_ref().map(|t| org_link(urls, t)),
        interests: leader.interests.clone(),
        membership_confirmed: leader.is_confirmed(),
        presence: presence(urls, &leader.account),
        updated_at: timestamp(leader.updated_at),
    }
}

/// An admin of a trust.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Admin)]
pub struct AdminEntity {
    pub id: String,
    pub display_name: String,
    #[serde(flatten)]
    pub presence: Presence,
}

/// `account` as a trust's admin.
pub fn admin(urls: &LocalUrls, account: &Account) -> AdminEntity {
    AdminEntity {
        id: account.id.to_string(),
        display_name: account.display_name.clone(),
        presence: presence(urls, account),
    }
}
