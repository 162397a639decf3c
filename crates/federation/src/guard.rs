//! The guard on every outgoing request: which addresses the instance may reach,
//! checked on the addresses a name resolves to at the moment of connecting (so a
//! name cannot resolve to a public address when checked and a private one when
//! used), on addresses written in URLs, and on every hop of a redirect; and
//! [`get`], a fetch with a redirect limit, a time limit and a body limit.
//!
//! Refused everywhere: loopback, private (10/8, 172.16/12, 192.168/16), shared
//! (100.64/10), link-local (169.254/16, fe80::/10), multicast, unique-local
//! (fc00::/7), documentation, unspecified, broadcast and reserved ranges, and
//! IPv6 forms that embed a refused IPv4 address. The test mode lifts loopback
//! only, for several instances on one machine; nothing lifts the others.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{HeaderValue, LOCATION};
use url::{Host, Url};

/// Which loopback addresses may be reached (no other refused range ever may).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Loopback {
    Never,
    Any,
    /// These addresses (and ports, where a URL names one) only.
    Only(Vec<SocketAddr>),
}

/// What outgoing requests may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    loopback: Loopback,
}

impl Reach {
    /// Public addresses only: production.
    pub fn public() -> Self {
        Self {
            loopback: Loopback::Never,
        }
    }

    /// Public addresses and loopback: the test mode, for instances on one machine.
    pub fn with_loopback() -> Self {
        Self {
            loopback: Loopback::Any,
        }
    }

    /// Public addresses and the loopback servers at `addresses` only.
    pub fn with_loopback_at(addresses: Vec<SocketAddr>) -> Self {
        Self {
            loopback: Loopback::Only(addresses),
        }
    }

    /// The reach of an instance in test mode or not.
    pub fn for_test_mode(test_mode: bool) -> Self {
        if test_mode {
            Self::with_loopback()
        } else {
            Self::public()
        }
    }

    /// Whether `ip` (at `port`, when known) may be reached.
    pub fn allows(&self, ip: IpAddr, port: Option<u16>) -> bool {
        let ip = canonical(ip);
        if is_public(ip) {
            return true;
        }
        if !is_loopback(ip) {
            return false;
        }
        match &self.loopback {
            Loopback::Never => false,
            Loopback::Any => true,
            Loopback::Only(addresses) => addresses
                .iter()
                .any(|a| canonical(a.ip()) == ip && port.is_none_or(|p| p == a.port())),
        }
    }
}

/// `ip` with an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) read as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// Whether `ip` is loopback (127/8 or ::1).
pub fn is_loopback(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback(),
    }
}

/// Whether `ip` is an address of the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => v4_is_public(v4),
        IpAddr::V6(v6) => v6_is_public(v6),
    }
}

fn v4_is_public(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0 // "this network"; 0.0.0.0 reaches loopback
        || a == 10
        || a == 127
        || (a == 100 && (64..128).contains(&b)) // shared (carrier-grade NAT)
        || (a == 169 && b == 254) // link-local, cloud metadata
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 168)
        || (a == 192 && b == 0 && c == 0) // protocol assignments
        || (a == 192 && b == 0 && c == 2) // documentation
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // documentation
        || (a == 203 && b == 0 && c == 113) // documentation
        || a >= 224) // multicast, reserved, broadcast
}

fn v6_is_public(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    // NAT64 (64:ff9b::/96) carries an IPv4 address: that one decides.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return v4_is_public(embedded(s[6], s[7]));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || s[..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible (deprecated)
        || s[..6] == [0, 0, 0, 0, 0, 0xffff] // IPv4-mapped (read as IPv4 above)
        || s[..5] == [0, 0, 0, 0, 0xffff] // IPv4-translated
        || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1) // local-use NAT64
        || s[0] == 0x2002 // 6to4, carries any IPv4 address
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] & 0xfe00) == 0xfc00 // unique-local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] & 0xff00) == 0xff00) // multicast
}

/// A DNS resolver that refuses a name when any of its addresses may not be
/// reached: reqwest connects to the addresses it returns, the very ones checked.
/// Tests may give it names of their own.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    reach: Reach,
    names: Arc<HashMap<String, Vec<IpAddr>>>,
}

impl GuardedResolver {
    pub fn new(reach: Reach) -> Self {
        Self {
            reach,
            names: Arc::new(HashMap::new()),
        }
    }

    /// The resolver, with `name` resolving to `addresses` instead of asking DNS.
    #[must_use]
    pub fn with_name(mut self, name: &str, addresses: Vec<IpAddr>) -> Self {
        Arc::make_mut(&mut self.names).insert(name.to_ascii_lowercase(), addresses);
        self
    }
}

/// Why a fetch was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("refused: {0}")]
    Refused(String),
    #[error("too many redirects")]
    TooManyRedirects,
    #[error("the body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the server answered {0}")]
    Status(u16),
    #[error("no answer in time")]
    TimedOut,
    #[error("the request failed: {0}")]
    Failed(String),
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        let reach = self.reach.clone();
        let known = self.names.get(&host).cloned();
        Box::pin(async move {
            let addresses: Vec<IpAddr> = match known {
                Some(addresses) => addresses,
                None => tokio::net::lookup_host((host.as_str(), 0))
                    .await?
                    .map(|a| a.ip())
                    .collect(),
            };
            if let Some(refused) = addresses.iter().find(|ip| !reach.allows(**ip, None)) {
                return Err(Box::new(FetchError::Refused(format!(
                    "{host} resolves to {refused}, which is not a public address"
                )))
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            let addrs: Addrs = Box::new(
                addresses
                    .into_iter()
                    .map(|ip| SocketAddr::new(ip, 0))
                    .collect::<Vec<_>>()
                    .into_iter(),
            );
            Ok(addrs)
        })
    }
}

/// Checks `url` before a request: a web address (plain http only if
/// `allow_http`), whose host, when written as an address, may be reached. Names
/// are checked by the [`GuardedResolver`] when connecting.
pub fn check_url(url: &Url, reach: &Reach, allow_http: bool) -> Result<(), FetchError> {
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        other => return Err(FetchError::Refused(format!("the scheme {other}"))),
    }
    let ip = match url.host() {
        Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
        Some(Host::Domain(domain)) => {
            // A name that is an address in another spelling is read as one.
            match domain.parse::<IpAddr>() {
                Ok(ip) => ip,
                Err(_)
                    if domain.eq_ignore_ascii_case("localhost")
                        || domain.to_ascii_lowercase().ends_with(".localhost") =>
                {
                    IpAddr::V4(Ipv4Addr::LOCALHOST)
                }
                Err(_) => return Ok(()),
            }
        }
        None => return Err(FetchError::Refused("an address without a host".into())),
    };
    if reach.allows(ip, url.port_or_known_default()) {
        Ok(())
    } else {
        Err(FetchError::Refused(format!("{ip} is not a public address")))
    }
}

/// The limits of one [`get`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest body read, in bytes.
    pub max_bytes: usize,
    /// The most redirects followed.
    pub max_redirects: usize,
    /// How long the whole fetch may take, redirects included.
    pub timeout: Duration,
    /// Whether plain http may be used (test mode, or an instance without https).
    pub allow_http: bool,
}

/// Fetches `url` with `client` (built with a [`GuardedResolver`] of `reach` and
/// following no redirects itself): every hop is checked, at most
/// `limits.max_redirects` are followed, the body is read up to
/// `limits.max_bytes`, and all of it within `limits.timeout`.
pub async fn get(
    client: &reqwest::Client,
    reach: &Reach,
    url: &str,
    limits: Limits,
) -> Result<Vec<u8>, FetchError> {
    tokio::time::timeout(limits.timeout, get_within(client, reach, url, limits))
        .await
        .map_err(|_| FetchError::TimedOut)?
}

async fn get_within(
    client: &reqwest::Client,
    reach: &Reach,
    url: &str,
    limits: Limits,
) -> Result<Vec<u8>, FetchError> {
    let mut url = Url::parse(url).map_err(|e| FetchError::Refused(format!("not a URL: {e}")))?;
    let mut redirects = 0;
    loop {
        check_url(&url, reach, limits.allow_http)?;
        let mut response = client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| refused_or_failed(&e))?;
        let status = response.status();
        if status.is_redirection() {
            let Some(location) = response.headers().get(LOCATION).map(HeaderValue::to_str) else {
                return Err(FetchError::Status(status.as_u16()));
            };
            let location =
                location.map_err(|_| FetchError::Refused("an unreadable redirect".into()))?;
            redirects += 1;
            if redirects > limits.max_redirects {
                return Err(FetchError::TooManyRedirects);
            }
            url = url
                .join(location)
                .map_err(|e| FetchError::Refused(format!("a redirect to no URL: {e}")))?;
            continue;
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        if response
            .content_length()
            .is_some_and(|length| length > limits.max_bytes as u64)
        {
            return Err(FetchError::TooLarge(limits.max_bytes));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| FetchError::Failed(e.to_string()))?
        {
            if body.len() + chunk.len() > limits.max_bytes {
                return Err(FetchError::TooLarge(limits.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        return Ok(body);
    }
}

/// A failed request as a refusal when the resolver refused its address.
fn refused_or_failed(error: &reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(FetchError::Refused(why)) = cause.downcast_ref::<FetchError>() {
            return FetchError::Refused(why.clone());
        }
        source = cause.source();
    }
    if error.is_timeout() {
        FetchError::TimedOut
    } else {
        FetchError::Failed(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_ranges() {
        for ip in [
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "100.64.0.1",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "192.0.2.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(!is_public(ip), "{ip}");
            assert!(!Reach::public().allows(ip, None), "{ip}");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "64:ff9b::808:808",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn the_test_mode_lifts_loopback_only() {
        let reach = Reach::with_loopback();
        assert!(reach.allows("127.0.0.1".parse().unwrap(), Some(80)));
        assert!(reach.allows("::1".parse().unwrap(), None));
        for ip in ["10.0.0.1", "169.254.169.254", "fd00::1", "192.168.0.1"] {
            assert!(!reach.allows(ip.parse().unwrap(), None), "{ip}");
        }
        let only = Reach::with_loopback_at(vec!["127.0.0.1:4000".parse().unwrap()]);
        assert!(only.allows("127.0.0.1".parse().unwrap(), Some(4000)));
        assert!(!only.allows("127.0.0.1".parse().unwrap(), Some(4001)));
        assert!(!only.allows("::1".parse().unwrap(), Some(4000)));
    }

    #[test]
    fn urls_naming_refused_addresses_are_refused() {
        let reach = Reach::public();
        for url in [
            "http://127.0.0.1/",
            "http://[::1]:8080/",
            "http://10.1.2.3/x",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00::1]/",
            "http://[::ffff:192.168.0.1]/",
            "http://localhost:3000/",
            "http://a.localhost/",
            "http://2130706433/",
            "http://0x7f.1/",
            "file:///etc/passwd",
            "gopher://example.com/",
        ] {
            let parsed = Url::parse(url).unwrap();
            assert!(check_url(&parsed, &reach, true).is_err(), "{url}");
        }
        assert!(check_url(&Url::parse("https://example.com/").unwrap(), &reach, false).is_ok());
        assert!(check_url(&Url::parse("http://example.com/").unwrap(), &reach, false).is_err());
    }
}
