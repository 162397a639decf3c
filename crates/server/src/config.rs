//! Configuration: built-in defaults, then a TOML file, then `STAFFROOM_*` environment
//! variables. Every value is checked here, before anything starts; a bad one stops
//! start-up with a message naming the key and what is allowed.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use staffroom_domain::access::registration::RegistrationMode;
use staffroom_domain::access::user;
use staffroom_domain::database::Engine;
use staffroom_domain::media::{MAX_MEDIA_BYTES, MediaLimits, MediaStore, S3Settings, remote_cache};
use staffroom_domain::moderation::domain_policy::FederationMode;
use staffroom_federation::{DEFAULT_SOURCE_URL, LocalUrls};
use tracing_subscriber::EnvFilter;

/// The configuration file read when none is named and it exists.
pub const DEFAULT_FILE: &str = "staffroom.toml";
/// The environment variable that names the configuration file.
pub const FILE_VARIABLE: &str = "STAFFROOM_CONFIG";
/// Environment variables with this prefix belong to the test suite, not the server.
const TEST_VARIABLE_PREFIX: &str = "STAFFROOM_TEST_";

/// The environment as the server sees it: only `main` reads the real one.
pub type Env = BTreeMap<String, String>;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The checked configuration of an instance.
#[derive(Debug, Clone)]
pub struct Config {
    /// The public domain (with a port if not the default) and scheme, as URLs.
    pub urls: LocalUrls,
    /// Where the HTTP listener binds.
    pub bind: SocketAddr,
    /// Where the SQLite database and the media files (in `media/`) live.
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`.
    pub database_url: String,
    pub registrations: RegistrationMode,
    pub log_format: LogFormat,
    /// A `tracing` filter, such as `info` or `staffroom=debug,info`.
    pub log_level: String,
    pub title: String,
    pub description: String,
    /// The instance's rules, one per line of the setting, in order.
    pub rules: Vec<String>,
    /// The privacy policy shown to people and apps; empty for the built-in one.
    pub privacy_policy: String,
    pub contact_email: String,
    pub source_url: String,
    /// Lets federation use plain http, explicit ports and loopback or private
    /// addresses: for several instances on one machine in tests, never production.
    pub federation_test_mode: bool,
    /// `open` (all servers but blocked ones) or `allowlist` (only allowed ones).
    pub federation_mode: FederationMode,
    /// Serve ActivityPub documents only to signed fetches.
    pub authorized_fetch: bool,
    /// Let `POST /oauth/token` take the password grant (for test clients only).
    pub password_grant: bool,
    /// Moderators and administrators must set up two-factor sign-in before they
    /// can use the web app.
    pub require_two_factor_for_staff: bool,
    /// Client API requests per five minutes per account or address (0: no limits).
    pub rate_limit: u32,
    /// Inbox deliveries per minute per sending server (0: no limit).
    pub inbox_per_server_per_minute: u32,
    /// A reverse proxy adds the client's address to `X-Forwarded-For`.
    pub behind_proxy: bool,
    /// The bearer token that `GET /metrics` asks for; without one, there are no
    /// metrics to read.
    pub metrics_token: Option<String>,
    /// The SMTP server mails go through; `None`: the instance sends no mail.
    pub smtp: Option<Smtp>,
    /// The largest upload of each kind of media.
    pub media_limits: MediaLimits,
    /// How long copies of remote media are kept, in days.
    pub remote_media_max_age_days: u32,
    /// Where media files are kept: `media/` in the data directory, or a bucket
    /// of an S3-compatible object store (`media_store = "s3"`).
    pub media: MediaStore,
}

/// The folder of the data directory that holds media files on the local disk.
const MEDIA_FOLDER: &str = "media";
/// The folder of the data directory where archives are built before they go to
/// the object store.
const SCRATCH_FOLDER: &str = "scratch";
/// The region asked for when none is set (the one most other stores answer to).
pub const DEFAULT_S3_REGION: &str = "us-east-1";

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text (only for a server on the same machine or network).
    None,
    /// Plain text upgraded with `STARTTLS`, which the server must offer.
    StartTls,
    /// TLS from the first byte (often port 465).
    Tls,
}

impl SmtpTls {
    /// Every mode, by name.
    pub const NAMES: [&'static str; 3] = ["none", "starttls", "tls"];

    /// The port used when none is set.
    pub fn default_port(self) -> u16 {
        match self {
            Self::None => 25,
            Self::StartTls => 587,
            Self::Tls => 465,
        }
    }
}

/// The SMTP server mails go through.
#[derive(Clone, PartialEq, Eq)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    /// The user name and password to log in with, if the server asks for them.
    pub login: Option<(String, String)>,
    /// The address mails come from.
    pub from: String,
}

/// The password stays out of logs and error messages.
impl fmt::Debug for Smtp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.login.as_ref().map(|(user, _)| user))
            .field("from", &self.from)
            .finish()
    }
}

/// Client API requests per five minutes per account or address, as on Mastodon.
pub const DEFAULT_RATE_LIMIT: u32 = 300;
/// Inbox deliveries per minute per sending server, unless set otherwise.
pub const DEFAULT_INBOX_PER_SERVER_PER_MINUTE: u32 = 300;
/// The longest time copies of remote media may be kept, in days (ten years).
pub const MAX_REMOTE_MEDIA_MAX_AGE_DAYS: u32 = 3650;

/// The shortest metrics token accepted: it guards what the instance reveals.
pub const MIN_METRICS_TOKEN_CHARS: usize = 16;

/// A configuration value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// One setting: its key in the file, the environment variables that set it (the
/// first wins), and what values it takes.
struct Setting {
    key: &'static str,
    variables: &'static [&'static str],
}

const SETTINGS: &[Setting] = &[
    Setting {
        key: "domain",
        variables: &["STAFFROOM_DOMAIN"],
    },
    Setting {
        key: "https",
        variables: &["STAFFROOM_HTTPS"],
    },
    Setting {
        key: "bind",
        variables: &["STAFFROOM_BIND"],
    },
    Setting {
        key: "data_dir",
        variables: &["STAFFROOM_DATA_DIR"],
    },
    Setting {
        key: "database_url",
        variables: &["STAFFROOM_DATABASE_URL", "DATABASE_URL"],
    },
    Setting {
        key: "registrations",
        variables: &["STAFFROOM_REGISTRATIONS"],
    },
    Setting {
        key: "log_format",
        variables: &["STAFFROOM_LOG_FORMAT"],
    },
    Setting {
        key: "log_level",
        variables: &["STAFFROOM_LOG"],
    },
    Setting {
        key: "title",
        variables: &["STAFFROOM_TITLE"],
    },
    Setting {
        key: "description",
        variables: &["STAFFROOM_DESCRIPTION"],
    },
    Setting {
        key: "rules",
        variables: &["STAFFROOM_RULES"],
    },
    Setting {
        key: "privacy_policy",
        variables: &["STAFFROOM_PRIVACY_POLICY"],
    },
    Setting {
        key: "contact_email",
        variables: &["STAFFROOM_CONTACT_EMAIL"],
    },
    Setting {
        key: "source_url",
        variables: &["STAFFROOM_SOURCE_URL"],
    },
    Setting {
        key: "federation_test_mode",
        variables: &["STAFFROOM_FEDERATION_TEST_MODE"],
    },
    Setting {
        key: "federation_mode",
        variables: &["STAFFROOM_FEDERATION_MODE"],
    },
    Setting {
        key: "authorized_fetch",
        variables: &["STAFFROOM_AUTHORIZED_FETCH"],
    },
    Setting {
        key: "password_grant",
        variables: &["STAFFROOM_PASSWORD_GRANT"],
    },
    Setting {
        key: "require_two_factor_for_staff",
        variables: &["STAFFROOM_REQUIRE_TWO_FACTOR_FOR_STAFF"],
    },
    Setting {
        key: "rate_limit",
        variables: &["STAFFROOM_RATE_LIMIT"],
    },
    Setting {
        key: "media_image_max_bytes",
        variables: &["STAFFROOM_MEDIA_IMAGE_MAX_BYTES"],
    },
    Setting {
        key: "media_audio_max_bytes",
        variables: &["STAFFROOM_MEDIA_AUDIO_MAX_BYTES"],
    },
    Setting {
        key: "media_video_max_bytes",
        variables: &["STAFFROOM_MEDIA_VIDEO_MAX_BYTES"],
    },
    Setting {
        key: "media_document_max_bytes",
        variables: &["STAFFROOM_MEDIA_DOCUMENT_MAX_BYTES"],
    },
    Setting {
        key: "remote_media_max_age_days",
        variables: &["STAFFROOM_REMOTE_MEDIA_MAX_AGE_DAYS"],
    },
    Setting {
        key: "media_store",
        variables: &["STAFFROOM_MEDIA_STORE"],
    },
    Setting {
        key: "s3_bucket",
        variables: &["STAFFROOM_S3_BUCKET"],
    },
    Setting {
        key: "s3_endpoint",
        variables: &["STAFFROOM_S3_ENDPOINT"],
    },
    Setting {
        key: "s3_region",
        variables: &["STAFFROOM_S3_REGION"],
    },
    Setting {
        key: "s3_access_key_id",
        variables: &["STAFFROOM_S3_ACCESS_KEY_ID"],
    },
    Setting {
        key: "s3_secret_access_key",
        variables: &["STAFFROOM_S3_SECRET_ACCESS_KEY"],
    },
    Setting {
        key: "s3_path_style",
        variables: &["STAFFROOM_S3_PATH_STYLE"],
    },
    Setting {
        key: "s3_prefix",
        variables: &["STAFFROOM_S3_PREFIX"],
    },
    Setting {
        key: "inbox_per_server_per_minute",
        variables: &["STAFFROOM_INBOX_PER_SERVER_PER_MINUTE"],
    },
    Setting {
        key: "behind_proxy",
        variables: &["STAFFROOM_BEHIND_PROXY"],
    },
    Setting {
        key: "metrics_token",
        variables: &["STAFFROOM_METRICS_TOKEN"],
    },
    Setting {
        key: "smtp_host",
        variables: &["STAFFROOM_SMTP_HOST"],
    },
    Setting {
        key: "smtp_port",
        variables: &["STAFFROOM_SMTP_PORT"],
    },
    Setting {
        key: "smtp_tls",
        variables: &["STAFFROOM_SMTP_TLS"],
    },
    Setting {
        key: "smtp_user",
        variables: &["STAFFROOM_SMTP_USER"],
    },
    Setting {
        key: "smtp_password",
        variables: &["STAFFROOM_SMTP_PASSWORD"],
    },
    Setting {
        key: "smtp_from",
        variables: &["STAFFROOM_SMTP_FROM"],
    },
];

/// A raw value and where it came from, for error messages.
struct Raw {
    value: String,
    origin: String,
}

/// Loads the configuration from `file` (or the file `STAFFROOM_CONFIG` names, or
/// `staffroom.toml` in the working directory if it exists) and from `env`.
pub fn load(file: Option<&Path>, env: &Env) -> Result<Config, ConfigError> {
    check_variables(env)?;
    let file = match file {
        Some(path) => Some(path.to_path_buf()),
        None => match env.get(FILE_VARIABLE) {
            Some(path) => Some(PathBuf::from(path)),
            None => Some(PathBuf::from(DEFAULT_FILE)).filter(|p| p.is_file()),
        },
    };
    let mut raw: BTreeMap<&'static str, Raw> = BTreeMap::new();
    if let Some(path) = &file {
        read_file(path, &mut raw)?;
    }
    for setting in SETTINGS {
        if let Some((variable, value)) = setting.variables.iter().find_map(|v| {
            env.get(*v)
                .filter(|value| !value.is_empty())
                .map(|value| (*v, value))
        }) {
            raw.insert(
                setting.key,
                Raw {
                    value: value.clone(),
                    origin: (*variable).to_owned(),
                },
            );
        }
    }
    build(&raw)
}

/// Refuses `STAFFROOM_*` variables that set nothing: a typo must not go unnoticed.
fn check_variables(env: &Env) -> Result<(), ConfigError> {
    for name in env.keys() {
        let known = name == FILE_VARIABLE
            || name.starts_with(TEST_VARIABLE_PREFIX)
            || SETTINGS
                .iter()
                .any(|s| s.variables.contains(&name.as_str()));
        if name.starts_with("STAFFROOM_") && !known {
            return Err(ConfigError::new(format!(
                "{name} is not a setting (known: {})",
                SETTINGS
                    .iter()
                    .map(|s| s.variables[0])
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(())
}

fn read_file(path: &Path, raw: &mut BTreeMap<&'static str, Raw>) -> Result<(), ConfigError> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::new(format!("cannot read {shown}: {e}")))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
        let message = e.message().trim().replace('\n', " ");
        match line {
            Some(line) => ConfigError::new(format!("{shown} line {line}: {message}")),
            None => ConfigError::new(format!("{shown}: {message}")),
        }
    })?;
    for (key, value) in table {
        let Some(setting) = SETTINGS.iter().find(|s| s.key == key) else {
            return Err(ConfigError::new(format!(
                "{shown}: unknown key '{key}' (known: {})",
                SETTINGS
                    .iter()
                    .map(|s| s.key)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Integer(i) => i.to_string(),
            other => {
                return Err(ConfigError::new(format!(
                    "{key} in {shown} is a {}: expected a string",
                    other.type_str()
                )));
            }
        };
        raw.insert(
            setting.key,
            Raw {
                value,
                origin: format!("{key} in {shown}"),
            },
        );
    }
    Ok(())
}

fn invalid(raw: &Raw, expected: &str) -> ConfigError {
    ConfigError::new(format!("{} = {:?}: {expected}", raw.origin, raw.value))
}

fn build(raw: &BTreeMap<&'static str, Raw>) -> Result<Config, ConfigError> {
    let get = |key: &str| raw.get(key);

    let domain = match get("domain") {
        Some(r) => r.value.trim().to_ascii_lowercase(),
        None => "localhost:8080".to_owned(),
    };
    let https = match get("https") {
        Some(r) => parse_bool(&r.value).ok_or_else(|| invalid(r, "expected true or false"))?,
        None => !is_loopback_domain(&domain),
    };
    let urls = LocalUrls::new(&domain, https)
        .ok()
        .filter(|_| domain.len() <= 253 && !domain.contains("://") && !domain.contains('/'))
        .ok_or_else(|| match get("domain") {
            Some(r) => invalid(
                r,
                "expected a host name with an optional port, such as staff.example.org, without a scheme or path",
            ),
            None => ConfigError::new("domain is empty"),
        })?;

    let bind =
        match get("bind") {
            Some(r) => r.value.trim().parse().map_err(|_| {
                invalid(r, "expected an IP address and port, such as 127.0.0.1:8080")
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
    let data_dir = match get("data_dir") {
        Some(r) if r.value.trim().is_empty() => return Err(invalid(r, "expected a directory")),
        Some(r) => PathBuf::from(r.value.trim()),
        None => PathBuf::from("./data"),
    };
    let database_url = match get("database_url") {
        Some(r) => {
            let url = r.value.trim().to_owned();
            if Engine::of_url(&url).is_none() {
                return Err(invalid(
                    r,
                    "expected sqlite://PATH or postgres://USER:PASSWORD@HOST/DATABASE",
                ));
            }
            url
        }
        None => format!("sqlite://{}", data_dir.join("staffroom.db").display()),
    };
    let registrations = match get("registrations") {
        Some(r) => r.value.trim().parse().map_err(|()| {
            invalid(
                r,
                &format!("expected one of {}", RegistrationMode::NAMES.join(", ")),
            )
        })?,
        None => RegistrationMode::default(),
    };
    let log_format = match get("log_format").map(|r| (r, r.value.trim())) {
        Some((_, "text")) | None => LogFormat::Text,
        Some((_, "json")) => LogFormat::Json,
        Some((r, _)) => return Err(invalid(r, "expected text or json")),
    };
    let log_level = match get("log_level") {
        Some(r) => {
            let filter = r.value.trim().to_owned();
            EnvFilter::try_new(&filter).map_err(|_| {
                invalid(
                    r,
                    "expected a log filter such as info, debug or staffroom=debug,info",
                )
            })?;
            filter
        }
        None => "info".to_owned(),
    };
    let title = text_setting(get("title"), "Staffroom", 1, 100)?;
    let description = text_setting(
        get("description"),
        "A Staffroom community of school leaders.",
        0,
        1_000,
    )?;
    let rules = match get("rules") {
        Some(r) => {
            let rules: Vec<String> = r
                .value
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect();
            if rules.len() > MAX_RULES {
                return Err(invalid(
                    r,
                    &format!("expected at most {MAX_RULES} rules, one per line"),
                ));
            }
            if rules
                .iter()
                .any(|rule| rule.chars().count() > MAX_RULE_CHARS)
            {
                return Err(invalid(
                    r,
                    &format!("expected each rule to be at most {MAX_RULE_CHARS} characters"),
                ));
            }
            rules
        }
        None => Vec::new(),
    };
    let privacy_policy = text_setting(get("privacy_policy"), "", 0, MAX_PRIVACY_POLICY_CHARS)?;
    let contact_email = match get("contact_email") {
        Some(r) if !r.value.trim().is_empty() => {
            user::check_email(r.value.trim())
                .map_err(|_| invalid(r, "expected an email address"))?;
            r.value.trim().to_owned()
        }
        _ => String::new(),
    };
    let source_url = match get("source_url") {
        Some(r) => {
            let url = r.value.trim();
            let ok = url::Url::parse(url)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return Err(invalid(r, "expected an http or https URL"));
            }
            url.to_owned()
        }
        None => DEFAULT_SOURCE_URL.to_owned(),
    };

    let federation_test_mode = match get("federation_test_mode") {
        Some(r) => parse_bool(&r.value).ok_or_else(|| invalid(r, "expected true or false"))?,
        None => false,
    };

    let federation_mode = match get("federation_mode") {
        Some(r) => r.value.trim().parse().map_err(|()| {
            invalid(
                r,
                &format!("expected one of {}", FederationMode::NAMES.join(", ")),
            )
        })?,
        None => FederationMode::Open,
    };
    let authorized_fetch = match get("authorized_fetch") {
        Some(r) => parse_bool(&r.value).ok_or_else(|| invalid(r, "expected true or false"))?,
        None => false,
    };

    let password_grant = match get("password_grant") {
        Some(r) => parse_bool(&r.value).ok_or_else(|| invalid(r, "expected true or false"))?,
        None => false,
    };

    let require_two_factor_for_staff = match get("require_two_factor_for_staff") {
        Some(r) => parse_bool(&r.value).ok_or_else(|| invalid(r, "expected true or false"))?,
        None => false,
    };

    let rate_limit = match get("rate_limit") {
        Some(r) => r
            .value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 1_000_000)
            .ok_or_else(|| {
                invalid(
                    r,
                    "expected a number of requests from 0 (no limits) to 1000000",
                )
            })?,
        None => DEFAULT_RATE_LIMIT,
    };
    let defaults = MediaLimits::default();
    let media_limit = |key: &str, default: usize| -> Result<usize, ConfigError> {
        match get(key) {
            Some(r) => r
                .value
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1024..=MAX_MEDIA_BYTES).contains(n))
                .ok_or_else(|| {
                    invalid(
                        r,
                        &format!("expected a number of bytes from 1024 to {MAX_MEDIA_BYTES}"),
                    )
                }),
            None => Ok(default),
        }
    };
    let media_limits = MediaLimits {
        image: media_limit("media_image_max_bytes", defaults.image)?,
        audio: media_limit("media_audio_max_bytes", defaults.audio)?,
        video: media_limit("media_video_max_bytes", defaults.video)?,
        document: media_limit("media_document_max_bytes", defaults.document)?,
    };
    let remote_media_max_age_days = match get("remote_media_max_age_days") {
        Some(r) => r
            .value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_REMOTE_MEDIA_MAX_AGE_DAYS).contains(n))
            .ok_or_else(|| {
                invalid(
                    r,
                    &format!("expected a number of days from 1 to {MAX_REMOTE_MEDIA_MAX_AGE_DAYS}"),
                )
            })?,
        None => remote_cache::DEFAULT_MAX_AGE_DAYS,
    };
    let inbox_per_server_per_minute = match get("inbox_per_server_per_minute") {
        Some(r) => r
            .value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 1_000_000)
            .ok_or_else(|| {
                invalid(
                    r,
                    "expected a number of deliveries from 0 (no limit) to 1000000",
                )
            })?,
        None => DEFAULT_INBOX_PER_SERVER_PER_MINUTE,
    };
    let behind_proxy = match get("behind_proxy") {
        Some(r) => parse_bool(&r.value).ok_or_else(|| invalid(r, "expected true or false"))?,
        None => false,
    };
    let metrics_token = match get("metrics_token") {
        Some(r) => {
            let token = r.value.trim();
            if token.chars().count() < MIN_METRICS_TOKEN_CHARS
                || !token.chars().all(|c| c.is_ascii_graphic())
            {
                return Err(invalid(
                    r,
                    &format!(
                        "expected a token of at least {MIN_METRICS_TOKEN_CHARS} printable characters, no spaces"
                    ),
                ));
            }
            Some(token.to_owned())
        }
        None => None,
    };

    let smtp = smtp(raw)?;
    let media = media_store(raw, &data_dir)?;

    Ok(Config {
        smtp,
        media,
        media_limits,
        remote_media_max_age_days,
        rate_limit,
        inbox_per_server_per_minute,
        behind_proxy,
        metrics_token,
        password_grant,
        require_two_factor_for_staff,
        federation_test_mode,
        federation_mode,
        authorized_fetch,
        urls,
        bind,
        data_dir,
        database_url,
        registrations,
        log_format,
        log_level,
        title,
        description,
        rules,
        privacy_policy,
        contact_email,
        source_url,
    })
}

/// The SMTP settings: none at all, or at least a host and a sender.
fn smtp(raw: &BTreeMap<&'static str, Raw>) -> Result<Option<Smtp>, ConfigError> {
    let get = |key: &str| raw.get(key).filter(|r| !r.value.trim().is_empty());
    let Some(host_raw) = get("smtp_host") else {
        if let Some(key) = [
            "smtp_port",
            "smtp_tls",
            "smtp_user",
            "smtp_password",
            "smtp_from",
        ]
        .into_iter()
        .find(|key| get(key).is_some())
        {
            return Err(ConfigError::new(format!(
                "{key} is set but smtp_host is not: set smtp_host (STAFFROOM_SMTP_HOST) to send mail"
            )));
        }
        return Ok(None);
    };
    let host = host_raw.value.trim().to_owned();
    if url::Host::parse(&host).is_err() || host.contains(':') && !host.starts_with('[') {
        return Err(invalid(
            host_raw,
            "expected a host name or an IP address, without a port",
        ));
    }
    let tls = match get("smtp_tls") {
        Some(r) => match r.value.trim() {
            "none" => SmtpTls::None,
            "starttls" => SmtpTls::StartTls,
            "tls" => SmtpTls::Tls,
            _ => {
                return Err(invalid(
                    r,
                    &format!("expected one of {}", SmtpTls::NAMES.join(", ")),
                ));
            }
        },
        None => SmtpTls::StartTls,
    };
    let port = match get("smtp_port") {
        Some(r) => r
            .value
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| invalid(r, "expected a port number from 1 to 65535"))?,
        None => tls.default_port(),
    };
    let login = match (get("smtp_user"), get("smtp_password")) {
        (Some(user), Some(password)) => {
            Some((user.value.trim().to_owned(), password.value.clone()))
        }
        (None, None) => None,
        (Some(_), None) => {
            return Err(ConfigError::new(
                "smtp_user is set but smtp_password is not: set both or neither",
            ));
        }
        (None, Some(password)) => {
            // The value is a secret: the message names where it came from only.
            return Err(ConfigError::new(format!(
                "{} is set but smtp_user is not: set both or neither",
                password.origin
            )));
        }
    };
    let Some(from_raw) = get("smtp_from") else {
        return Err(ConfigError::new(
            "smtp_host is set but smtp_from is not: set the address mails come from (STAFFROOM_SMTP_FROM)",
        ));
    };
    let from = from_raw.value.trim().to_owned();
    user::check_email(&from).map_err(|_| invalid(from_raw, "expected an email address"))?;
    Ok(Some(Smtp {
        host,
        port,
        tls,
        login,
        from,
    }))
}

/// The S3 settings that mean nothing while the media stay on the local disk.
const S3_KEYS: [&str; 7] = [
    "s3_bucket",
    "s3_endpoint",
    "s3_region",
    "s3_access_key_id",
    "s3_secret_access_key",
    "s3_path_style",
    "s3_prefix",
];

/// Where media files are kept: `local` (the default: `media/` in the data
/// directory) or `s3` (a bucket, which needs at least `s3_bucket`).
fn media_store(
    raw: &BTreeMap<&'static str, Raw>,
    data_dir: &Path,
) -> Result<MediaStore, ConfigError> {
    let get = |key: &str| raw.get(key).filter(|r| !r.value.trim().is_empty());
    match get("media_store").map(|r| (r, r.value.trim())) {
        None | Some((_, "local")) => {
            if let Some(key) = S3_KEYS.into_iter().find(|key| get(key).is_some()) {
                return Err(ConfigError::new(format!(
                    "{key} is set but media_store is not s3: set media_store = \"s3\" (STAFFROOM_MEDIA_STORE) to keep media in a bucket"
                )));
            }
            return Ok(MediaStore::local(data_dir.join(MEDIA_FOLDER)));
        }
        Some((_, "s3")) => {}
        Some((r, _)) => return Err(invalid(r, "expected local or s3")),
    }
    let Some(bucket_raw) = get("s3_bucket") else {
        return Err(ConfigError::new(
            "media_store is s3 but s3_bucket is not set: name the bucket (STAFFROOM_S3_BUCKET)",
        ));
    };
    let bucket = bucket_raw.value.trim().to_owned();
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    if !bucket_ok {
        return Err(invalid(
            bucket_raw,
            "expected a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens",
        ));
    }
    let endpoint = match get("s3_endpoint") {
        Some(r) => {
            let endpoint = r.value.trim().trim_end_matches('/');
            let ok = url::Url::parse(endpoint).is_ok_and(|u| {
                matches!(u.scheme(), "http" | "https")
                    && u.host().is_some()
                    && u.path() == "/"
                    && u.query().is_none()
            });
            if !ok {
                return Err(invalid(
                    r,
                    "expected the store's http or https address, such as https://s3.example.org, without a path",
                ));
            }
            Some(endpoint.to_owned())
        }
        None => None,
    };
    let region = match get("s3_region") {
        Some(r) => r.value.trim().to_owned(),
        None => DEFAULT_S3_REGION.to_owned(),
    };
    let credentials = match (get("s3_access_key_id"), get("s3_secret_access_key")) {
        (Some(id), Some(secret)) => Some((id.value.trim().to_owned(), secret.value.clone())),
        (None, None) => None,
        (Some(_), None) => {
            return Err(ConfigError::new(
                "s3_access_key_id is set but s3_secret_access_key is not: set both or neither",
            ));
        }
        (None, Some(secret)) => {
            // The value is a secret: the message names where it came from only.
            return Err(ConfigError::new(format!(
                "{} is set but s3_access_key_id is not: set both or neither",
                secret.origin
            )));
        }
    };
    let path_style = match get("s3_path_style") {
        Some(r) => parse_bool(&r.value).ok_or_else(|| invalid(r, "expected true or false"))?,
        None => false,
    };
    let prefix = match get("s3_prefix") {
        Some(r) => {
            let prefix = r.value.trim().trim_matches('/');
            let ok = prefix.len() <= 200
                && prefix.split('/').all(|part| {
                    !part.is_empty()
                        && part != "."
                        && part != ".."
                        && part
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                });
            if !ok {
                return Err(invalid(
                    r,
                    "expected folder names of letters, digits, '-', '_' and '.', separated by '/'",
                ));
            }
            prefix.to_owned()
        }
        None => String::new(),
    };
    let settings = S3Settings {
        bucket,
        endpoint,
        region,
        credentials,
        path_style,
        prefix,
    };
    MediaStore::s3(&settings, data_dir.join(SCRATCH_FOLDER))
        .map_err(|e| ConfigError::new(format!("media_store = \"s3\": {e}")))
}

/// The most rules an instance may state.
const MAX_RULES: usize = 30;
/// The most characters of one rule.
const MAX_RULE_CHARS: usize = 500;
/// The most characters of the privacy policy.
const MAX_PRIVACY_POLICY_CHARS: usize = 50_000;

fn text_setting(
    raw: Option<&Raw>,
    default: &str,
    min: usize,
    max: usize,
) -> Result<String, ConfigError> {
    match raw {
        Some(r) => {
            let value = r.value.trim();
            let chars = value.chars().count();
            if chars < min || chars > max {
                return Err(invalid(r, &format!("expected {min} to {max} characters")));
            }
            Ok(value.to_owned())
        }
        None => Ok(default.to_owned()),
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// Whether `domain` names this machine, where plain HTTP is the sensible default.
fn is_loopback_domain(domain: &str) -> bool {
    let host = match domain.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => domain.split(':').next().unwrap_or_default(),
    };
    host == "localhost" || host == "::1" || host.starts_with("127.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn error(pairs: &[(&str, &str)]) -> String {
        load(None, &env(pairs)).unwrap_err().to_string()
    }

    #[test]
    fn the_defaults_run_a_local_instance_on_sqlite() -> Result<(), ConfigError> {
        let config = load(None, &Env::new())?;
        assert_eq!(config.urls.domain(), "localhost:8080");
        assert!(!config.urls.is_https());
        assert_eq!(config.bind, SocketAddr::from(([127, 0, 0, 1], 8080)));
        assert_eq!(config.database_url, "sqlite://./data/staffroom.db");
        assert_eq!(config.registrations, RegistrationMode::Approval);
        assert_eq!(config.log_format, LogFormat::Text);
        Ok(())
    }

    #[test]
    fn media_limits_are_per_kind_and_bounded() -> Result<(), ConfigError> {
        assert_eq!(
            load(None, &Env::new())?.media_limits,
            MediaLimits::default()
        );
        let config = load(
            None,
            &env(&[
                ("STAFFROOM_MEDIA_AUDIO_MAX_BYTES", "200000000"),
                ("STAFFROOM_MEDIA_DOCUMENT_MAX_BYTES", "1048576"),
            ]),
        )?;
        assert_eq!(config.media_limits.audio, 200_000_000);
        assert_eq!(config.media_limits.document, 1_048_576);
        assert_eq!(config.media_limits.image, MediaLimits::default().image);
        for bad in ["12", "many", "999999999999"] {
            assert!(
                error(&[("STAFFROOM_MEDIA_VIDEO_MAX_BYTES", bad)]).contains("number of bytes"),
                "{bad}"
            );
        }
        Ok(())
    }

    #[test]
    fn rules_are_one_a_line_and_limited() -> Result<(), ConfigError> {
        assert!(load(None, &Env::new())?.rules.is_empty());
        let config = load(
            None,
            &env(&[("STAFFROOM_RULES", " Be kind.\n\nNo advertising.\n")]),
        )?;
        assert_eq!(config.rules, ["Be kind.", "No advertising."]);
        let many = (0..31)
            .map(|n| format!("Rule {n}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(error(&[("STAFFROOM_RULES", &many)]).contains("at most 30 rules"));
        let long = "x".repeat(501);
        assert!(error(&[("STAFFROOM_RULES", &long)]).contains("at most 500 characters"));
        Ok(())
    }

    #[test]
    fn metrics_are_off_by_default_and_need_a_long_token() -> Result<(), ConfigError> {
        assert_eq!(load(None, &Env::new())?.metrics_token, None);
        let token = "a-long-metrics-token-0123456789";
        let config = load(None, &env(&[("STAFFROOM_METRICS_TOKEN", token)]))?;
        assert_eq!(config.metrics_token.as_deref(), Some(token));
        for bad in ["short", "a long token with spaces in it"] {
            let message = error(&[("STAFFROOM_METRICS_TOKEN", bad)]);
            assert!(message.contains("at least 16 printable"), "{message}");
        }
        Ok(())
    }

    #[test]
    fn environment_variables_set_every_key() -> Result<(), ConfigError> {
        let config = load(
            None,
            &env(&[
                ("STAFFROOM_DOMAIN", "Staff.Example.org"),
                ("STAFFROOM_BIND", "0.0.0.0:9000"),
                ("STAFFROOM_DATA_DIR", "/var/lib/staffroom"),
                ("DATABASE_URL", "postgres://u:p@db/staffroom"),
                ("STAFFROOM_REGISTRATIONS", "invite-only"),
                ("STAFFROOM_LOG_FORMAT", "json"),
                ("STAFFROOM_LOG", "debug"),
                ("STAFFROOM_TITLE", "Northern Trust"),
                ("STAFFROOM_CONTACT_EMAIL", "admin@example.org"),
            ]),
        )?;
        assert_eq!(config.urls.domain(), "staff.example.org");
        assert!(config.urls.is_https(), "a public domain defaults to https");
        assert_eq!(config.bind.port(), 9000);
        assert_eq!(config.database_url, "postgres://u:p@db/staffroom");
        assert_eq!(config.registrations, RegistrationMode::InviteOnly);
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(config.title, "Northern Trust");
        Ok(())
    }

    #[test]
    fn an_empty_variable_counts_as_unset() -> Result<(), ConfigError> {
        let config = load(
            None,
            &env(&[("STAFFROOM_HTTPS", ""), ("STAFFROOM_DOMAIN", "example.org")]),
        )?;
        assert!(config.urls.is_https());
        Ok(())
    }

    #[test]
    fn staffroom_database_url_wins_over_database_url() -> Result<(), ConfigError> {
        let config = load(
            None,
            &env(&[
                ("DATABASE_URL", "postgres://a/b"),
                ("STAFFROOM_DATABASE_URL", "sqlite://x.db"),
            ]),
        )?;
        assert_eq!(config.database_url, "sqlite://x.db");
        Ok(())
    }

    #[test]
    fn each_bad_value_names_its_key_and_what_is_allowed() {
        assert_eq!(
            error(&[("STAFFROOM_REGISTRATIONS", "sometimes")]),
            "invalid configuration: STAFFROOM_REGISTRATIONS = \"sometimes\": expected one of open, approval, invite-only, closed"
        );
        assert!(
            error(&[("STAFFROOM_BIND", "8080")])
                .contains("STAFFROOM_BIND = \"8080\": expected an IP address and port")
        );
        assert!(error(&[("STAFFROOM_HTTPS", "yes")]).contains("STAFFROOM_HTTPS"));
        assert!(error(&[("STAFFROOM_DOMAIN", "https://x.org")]).contains("without a scheme"));
        assert!(error(&[("STAFFROOM_DOMAIN", "x.org/path")]).contains("STAFFROOM_DOMAIN"));
        assert!(
            error(&[("DATABASE_URL", "mysql://x/y")]).contains("DATABASE_URL = \"mysql://x/y\"")
        );
        assert!(error(&[("STAFFROOM_LOG_FORMAT", "xml")]).contains("expected text or json"));
        assert!(error(&[("STAFFROOM_LOG", "info,[")]).contains("STAFFROOM_LOG"));
        assert!(error(&[("STAFFROOM_TITLE", "  ")]).contains("1 to 100 characters"));
        assert!(
            error(&[("STAFFROOM_CONTACT_EMAIL", "nobody")]).contains("expected an email address")
        );
        assert!(error(&[("STAFFROOM_SOURCE_URL", "ftp://x")]).contains("http or https URL"));
    }

    #[test]
    fn an_unknown_staffroom_variable_is_refused_but_test_variables_are_not() {
        assert!(
            error(&[("STAFFROOM_DOMIAN", "x.org")]).contains("STAFFROOM_DOMIAN is not a setting")
        );
        assert!(
            load(
                None,
                &env(&[
                    ("STAFFROOM_TEST_DATABASE_URL", "postgres://x/y"),
                    ("PATH", "/bin")
                ])
            )
            .is_ok()
        );
    }

    #[test]
    fn the_file_is_read_and_the_environment_overrides_it() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("staffroom.toml");
        std::fs::write(
            &path,
            "domain = \"staff.example.org\"\nhttps = false\nregistrations = \"open\"\n",
        )?;
        let config = load(Some(&path), &env(&[("STAFFROOM_REGISTRATIONS", "closed")]))?;
        assert_eq!(config.urls.domain(), "staff.example.org");
        assert!(!config.urls.is_https());
        assert_eq!(config.registrations, RegistrationMode::Closed);
        Ok(())
    }

    #[test]
    fn file_errors_name_the_file_the_key_or_the_line() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("bad.toml");
        let file_error = |text: &str| {
            std::fs::write(&path, text).unwrap();
            load(Some(&path), &Env::new()).unwrap_err().to_string()
        };
        let err = file_error("domain = \"x.org\"\ndomian = \"y.org\"\n");
        assert!(err.contains("unknown key 'domian'"), "{err}");
        let err = file_error("domain = \"x.org\"\nbind = \n");
        assert!(err.contains("line 2"), "{err}");
        assert!(!err.contains('\n'), "one line: {err}");
        let err = file_error("https = \"maybe\"\n");
        assert!(err.contains("https in"), "{err}");
        let missing = load(Some(&dir.path().join("missing.toml")), &Env::new()).unwrap_err();
        assert!(missing.to_string().contains("cannot read"), "{missing}");
        Ok(())
    }

    #[test]
    fn smtp_is_off_by_default_and_takes_a_host_and_a_sender() -> Result<(), ConfigError> {
        assert_eq!(load(None, &Env::new())?.smtp, None);
        let config = load(
            None,
            &env(&[
                ("STAFFROOM_SMTP_HOST", "mail.example.org"),
                ("STAFFROOM_SMTP_FROM", "staffroom@example.org"),
                ("STAFFROOM_SMTP_USER", "staffroom"),
                ("STAFFROOM_SMTP_PASSWORD", "hunter2-but-longer"),
            ]),
        )?;
        let smtp = config.smtp.expect("SMTP is configured");
        assert_eq!((smtp.tls, smtp.port), (SmtpTls::StartTls, 587));
        assert!(!format!("{smtp:?}").contains("hunter2"));
        let config = load(
            None,
            &env(&[
                ("STAFFROOM_SMTP_HOST", "127.0.0.1"),
                ("STAFFROOM_SMTP_TLS", "tls"),
                ("STAFFROOM_SMTP_FROM", "staffroom@example.org"),
            ]),
        )?;
        assert_eq!(config.smtp.map(|s| s.port), Some(465));
        Ok(())
    }

    #[test]
    fn bad_smtp_settings_say_what_is_missing_and_never_show_the_password() {
        let host = ("STAFFROOM_SMTP_HOST", "mail.example.org");
        let from = ("STAFFROOM_SMTP_FROM", "staffroom@example.org");
        assert!(error(&[host]).contains("smtp_from is not"));
        assert!(error(&[from]).contains("smtp_host is not"));
        assert!(
            error(&[host, from, ("STAFFROOM_SMTP_TLS", "ssl")]).contains("none, starttls, tls")
        );
        assert!(error(&[host, from, ("STAFFROOM_SMTP_PORT", "0")]).contains("1 to 65535"));
        assert!(
            error(&[("STAFFROOM_SMTP_HOST", "mail.example.org:25"), from])
                .contains("without a port")
        );
        assert!(error(&[host, ("STAFFROOM_SMTP_FROM", "nobody")]).contains("email address"));
        let message = error(&[host, from, ("STAFFROOM_SMTP_PASSWORD", "s3cret-value")]);
        assert!(
            message.contains("STAFFROOM_SMTP_PASSWORD is set"),
            "{message}"
        );
        assert!(!message.contains("s3cret"), "{message}");
    }

    #[test]
    fn media_stay_on_the_local_disk_unless_a_bucket_is_named() -> Result<(), ConfigError> {
        let local = load(None, &Env::new())?.media.describe();
        assert!(local.contains("media"), "{local}");
        let config = load(
            None,
            &env(&[
                ("STAFFROOM_MEDIA_STORE", "s3"),
                ("STAFFROOM_S3_BUCKET", "staffroom-media"),
                ("STAFFROOM_S3_ENDPOINT", "http://127.0.0.1:9000/"),
                ("STAFFROOM_S3_PATH_STYLE", "true"),
                ("STAFFROOM_S3_ACCESS_KEY_ID", "staffroom"),
                ("STAFFROOM_S3_SECRET_ACCESS_KEY", "hunter2-but-longer"),
                ("STAFFROOM_S3_PREFIX", "/school/media/"),
            ]),
        )?;
        let shown = config.media.describe();
        assert!(shown.contains("staffroom-media"), "{shown}");
        assert!(shown.contains("school/media/"), "{shown}");
        assert!(!format!("{:?}", config.media).contains("hunter2"));
        // Amazon S3 itself: no endpoint, the machine's credentials.
        load(
            None,
            &env(&[
                ("STAFFROOM_MEDIA_STORE", "s3"),
                ("STAFFROOM_S3_BUCKET", "staffroom-media"),
                ("STAFFROOM_S3_REGION", "eu-west-3"),
            ]),
        )?;
        Ok(())
    }

    #[test]
    fn bad_object_store_settings_say_what_is_wrong_and_never_show_the_secret() {
        let s3 = ("STAFFROOM_MEDIA_STORE", "s3");
        let bucket = ("STAFFROOM_S3_BUCKET", "staffroom-media");
        assert!(error(&[("STAFFROOM_MEDIA_STORE", "ftp")]).contains("local or s3"));
        assert!(error(&[s3]).contains("s3_bucket is not set"));
        assert!(error(&[bucket]).contains("media_store is not s3"));
        assert!(error(&[s3, ("STAFFROOM_S3_BUCKET", "No_Such")]).contains("bucket name"));
        assert!(
            error(&[s3, bucket, ("STAFFROOM_S3_ENDPOINT", "s3.example.org")])
                .contains("http or https address")
        );
        assert!(
            error(&[
                s3,
                bucket,
                ("STAFFROOM_S3_ENDPOINT", "https://s3.example.org/a")
            ])
            .contains("without a path")
        );
        assert!(
            error(&[s3, bucket, ("STAFFROOM_S3_PATH_STYLE", "yes please")])
                .contains("true or false")
        );
        assert!(error(&[s3, bucket, ("STAFFROOM_S3_PREFIX", "a/../b")]).contains("folder names"));
        assert!(
            error(&[s3, bucket, ("STAFFROOM_S3_ACCESS_KEY_ID", "staffroom")])
                .contains("s3_secret_access_key is not")
        );
        let message = error(&[
            s3,
            bucket,
            ("STAFFROOM_S3_SECRET_ACCESS_KEY", "s3cret-value"),
        ]);
        assert!(
            message.contains("STAFFROOM_S3_SECRET_ACCESS_KEY is set"),
            "{message}"
        );
        assert!(!message.contains("s3cret"), "{message}");
    }

    #[test]
    fn loopback_domains_default_to_plain_http() {
        for domain in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:3000",
            "127.0.0.2",
            "[::1]:8080",
        ] {
            assert!(is_loopback_domain(domain), "{domain}");
        }
        for domain in ["example.org", "localhost.example.org", "10.0.0.1"] {
            assert!(!is_loopback_domain(domain), "{domain}");
        }
    }
}
