//! NodeInfo (2.0 and 2.1): what software an instance runs and how much it holds, for
//! statistics sites and for apps that detect the server they talk to.

use serde::Serialize;
use staffroom_domain::stats::InstanceStats;

use crate::{LocalUrls, SOFTWARE_NAME, SOFTWARE_VERSION};

/// The media type of a NodeInfo 2.1 document.
pub const CONTENT_TYPE_2_1: &str =
    "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"";
/// The media type of a NodeInfo 2.0 document.
pub const CONTENT_TYPE_2_0: &str =
    "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.0#\"";

/// `/.well-known/nodeinfo`: where the documents are.
#[derive(Debug, Clone, Serialize)]
pub struct Discovery {
    pub links: Vec<DiscoveryLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiscoveryLink {
    pub rel: String,
    pub href: String,
}

/// A NodeInfo document (2.0 leaves out `repository` and `homepage`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    pub version: &'static str,
    pub software: Software,
    pub protocols: Vec<&'static str>,
    pub services: Services,
    pub open_registrations: bool,
    pub usage: Usage,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Serialize)]
pub struct Software {
    pub name: &'static str,
    pub version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Services {
    pub inbound: Vec<String>,
    pub outbound: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub users: UsageUsers,
    pub local_posts: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageUsers {
    pub total: u64,
    pub active_month: u64,
    pub active_halfyear: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub node_name: String,
    pub node_description: String,
}

/// The two NodeInfo versions served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2_0,
    V2_1,
}

/// The discovery document pointing at both versions.
pub fn discovery(urls: &LocalUrls) -> Discovery {
    let link = |version: &str| DiscoveryLink {
        rel: format!("http://nodeinfo.diaspora.software/ns/schema/{version}"),
        href: urls.absolute(&format!("/nodeinfo/{version}")),
    };
    Discovery {
        links: vec![link("2.1"), link("2.0")],
    }
}

/// How the instance describes itself in NodeInfo.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub source_url: &'a str,
    pub open_registrations: bool,
}

/// The NodeInfo document of this instance.
pub fn document(version: Version, node: Node<'_>, stats: &InstanceStats) -> NodeInfo {
    let v2_1 = version == Version::V2_1;
    NodeInfo {
        version: if v2_1 { "2.1" } else { "2.0" },
        software: Software {
            name: SOFTWARE_NAME,
            version: SOFTWARE_VERSION,
            repository: v2_1.then(|| node.source_url.to_owned()),
            homepage: v2_1.then(|| node.source_url.to_owned()),
        },
        protocols: vec!["activitypub"],
        services: Services {
            inbound: Vec::new(),
            outbound: Vec::new(),
        },
        open_registrations: node.open_registrations,
        usage: Usage {
            users: UsageUsers {
                total: stats.users,
                active_month: stats.active_month,
                active_halfyear: stats.active_halfyear,
            },
            local_posts: stats.local_posts,
        },
        metadata: Metadata {
            node_name: node.name.to_owned(),
            node_description: node.description.to_owned(),
        },
    }
}
