//! The command line: `serve`, `migrate` and `admin`. Every failure ends in one clear
//! line on standard error and an exit code: 1 when a command failed, 2 for bad
//! arguments or configuration.

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use staffroom_domain::access::user::Role;
use staffroom_domain::moderation::domain_policy::Policy;

use crate::admin::{
    self, accounts as admin_accounts, domains, hashtags as admin_hashtags, import_schools,
    media as admin_media, reports as admin_reports, users,
};
use crate::app::{self, RunningInstance};
use crate::config::{self, Config, Env};
use crate::failure::Failure;
use crate::{demo, logging, migrate};

/// Where a command reads and writes: the process's own streams in `main`, buffers in
/// tests.
pub struct Io<'a> {
    pub stdin: &'a mut dyn BufRead,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// Whether to install the process-wide log subscriber.
    pub init_logging: bool,
}

/// Staffroom: a federated social server for communities of school leaders.
#[derive(Debug, Parser)]
#[command(name = "staffroom", version, propagate_version = true)]
struct Cli {
    /// Read settings from FILE (otherwise from STAFFROOM_CONFIG, or ./staffroom.toml
    /// when it exists).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the instance (the default): apply migrations, serve HTTP, run workers.
    Serve(ServeArgs),
    /// Apply, roll back or list the database migrations.
    #[command(subcommand)]
    Migrate(MigrateCommand),
    /// Manage users and invites.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Default, Args)]
struct ServeArgs {
    /// Seed demo accounts (passwords printed) and posts, for a first look.
    #[arg(long)]
    demo: bool,
}

#[derive(Debug, Subcommand)]
enum MigrateCommand {
    /// Apply every pending migration.
    Up,
    /// Roll back the newest migrations.
    Down {
        /// How many migrations to roll back.
        #[arg(long, default_value_t = 1, conflicts_with = "all")]
        steps: u32,
        /// Roll back every migration (this deletes all data).
        #[arg(long)]
        all: bool,
    },
    /// List the migrations and whether each is applied.
    Status,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create a user; the password is read from standard input, or generated and
    /// printed once.
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// The name shown on the profile (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long, value_enum, default_value_t = RoleArg::User)]
        role: RoleArg,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give a user a role: user, moderator or admin.
    SetRole {
        username: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Stop a user from signing in (what they posted stays).
    DisableUser { username: String },
    /// Let a disabled user sign in again.
    EnableUser { username: String },
    /// Delete a user's account for good: their posts, media, follows and all
    /// else of theirs go, other servers are told, and the username stays
    /// reserved.
    DeleteUser { username: String },
    /// List the people who signed up and wait for approval, with their reasons.
    PendingUsers,
    /// Approve a user who signed up while registrations needed approval (they are
    /// told by mail when the instance sends mail).
    ApproveUser { username: String },
    /// Print a link that lets a user choose a new password (it works once, for an
    /// hour); give it to them yourself.
    ResetPassword { username: String },
    /// Turn two-factor sign-in off for a user who lost their device and their
    /// recovery codes (check who is asking first).
    #[command(name = "disable-2fa")]
    DisableTwoFactor { username: String },
    /// Block or allow other servers (domain policy).
    #[command(subcommand)]
    Domain(DomainCommand),
    /// Silence accounts, here or elsewhere; suspend people here or single
    /// accounts of other servers.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Read the reports made to the moderators, and mark them resolved.
    #[command(subcommand)]
    Reports(ReportsCommand),
    /// Import schools from a CSV file in the layout of the register of English
    /// schools; missing trusts are created. All rows or none are stored.
    ImportSchools {
        /// The CSV file.
        file: PathBuf,
    },
    /// Create an invite code for sign-up.
    CreateInvite {
        /// How many people may use it (default: no limit).
        #[arg(long, value_parser = clap::value_parser!(i32).range(1..))]
        max_uses: Option<i32>,
        /// How many days it stays valid (default: forever).
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..=3650))]
        expires_in_days: Option<i64>,
    },
    /// Subscribe to other instances' hashtag feeds, so that a discussion under a
    /// hashtag is whole here.
    #[command(subcommand)]
    Feeds(FeedsCommand),
    /// Copies of other servers' media kept here.
    #[command(subcommand)]
    Media(MediaCommand),
    /// Feature a challenge: a prompt discussed under a hashtag between two dates.
    CreateChallenge {
        #[arg(long)]
        title: String,
        /// With or without '#'.
        #[arg(long)]
        hashtag: String,
        /// The first day (2026-11-01) or a time (2026-11-01T09:00:00Z).
        #[arg(long)]
        starts: String,
        /// The last day (included), or the time it ends.
        #[arg(long)]
        ends: String,
        /// The trust or network that runs it (default: the trust's name).
        #[arg(long, default_value = "")]
        run_by: String,
        /// The slug of the trust of this instance that runs it: its admins may
        /// change it.
        #[arg(long)]
        trust: Option<String>,
        /// The description, in Markdown.
        #[arg(long)]
        description: String,
        /// The instance whose feed of the hashtag gathers the discussion: this
        /// instance subscribes to it.
        #[arg(long)]
        feed_host: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum MediaCommand {
    /// Remove the copies of remote media older than remote_media_max_age_days
    /// (their posts and profiles link to the originals again).
    Prune,
}

#[derive(Debug, Subcommand)]
enum FeedsCommand {
    /// Subscribe to a feed: its URL (https://host/tags/name) or name@host.
    Subscribe { feed: String },
    /// Stop subscribing to a feed (its URL or name@host).
    Unsubscribe { feed: String },
    /// List the feeds this instance subscribes to.
    List,
}

#[derive(Debug, Subcommand)]
enum ReportsCommand {
    /// List the open reports, newest first (with --resolved, the resolved ones).
    List {
        #[arg(long)]
        resolved: bool,
    },
    /// Show a report and the posts it names.
    Show { id: i64 },
    /// Mark a report resolved.
    Resolve { id: i64 },
    /// Open a resolved report again.
    Reopen { id: i64 },
}

#[derive(Debug, Subcommand)]
enum AccountCommand {
    /// Suspend a person here (their username): nothing of them is shown and
    /// they are signed out; their account is deleted after 30 days unless the
    /// suspension is lifted. Or shut an account of another server out
    /// (user@domain, or its actor URL): what it brought is removed, and nothing
    /// more of it gets in.
    Suspend {
        account: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Lift a suspension (of a person here: everything of them shows again).
    Unsuspend { account: String },
    /// Keep an account (a username here, user@domain, or an actor URL) out of
    /// the public and hashtag timelines of those who do not follow it.
    Silence { account: String },
    /// Lift a silence.
    Unsilence { account: String },
    /// List the suspended accounts.
    Suspended,
}

#[derive(Debug, Subcommand)]
enum DomainCommand {
    /// Stop federating with a server (and its subdomains).
    Block {
        domain: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Federate with a server when federation_mode is allowlist.
    Allow {
        domain: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Remove the rule for a server.
    Remove { domain: String },
    /// List the rules.
    List,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    User,
    Moderator,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::User => Role::User,
            RoleArg::Moderator => Role::Moderator,
            RoleArg::Admin => Role::Admin,
        }
    }
}

/// The exit status of a command that succeeded.
pub const EXIT_OK: u8 = 0;
/// The exit status of a command that could not do its work.
pub const EXIT_FAILED: u8 = 1;
/// The exit status for bad arguments or configuration.
pub const EXIT_USAGE: u8 = 2;

/// Runs the command line `args` with environment `env`; returns the exit status.
pub async fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    env: &Env,
    io: Io<'_>,
) -> u8 {
    let Io {
        stdin,
        stdout,
        stderr,
        init_logging,
    } = io;
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e, stdout, stderr),
    };
    let result = match config::load(cli.config.as_deref(), env) {
        Ok(config) => {
            let command = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
            if init_logging {
                logging::init(&config, !matches!(command, Command::Serve(_)));
            }
            dispatch(command, &config, stdin, stdout, stderr).await
        }
        Err(e) => Err(Failure::Usage(e.to_string())),
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(Failure::Usage(message)) => {
            let _ = writeln!(stderr, "staffroom: {message}");
            EXIT_USAGE
        }
        Err(Failure::Failed(message)) => {
            let _ = writeln!(stderr, "staffroom: {message}");
            EXIT_FAILED
        }
    }
}

/// Help and version go to standard output; a usage error is one line on standard
/// error with a pointer to `--help`.
fn clap_error(e: &clap::Error, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = write!(stdout, "{}", e.render());
            EXIT_OK
        }
        _ => {
            let rendered = e.render().to_string();
            let first = rendered
                .lines()
                .next()
                .unwrap_or("invalid arguments")
                .trim_start_matches("error: ");
            let _ = writeln!(stderr, "staffroom: {first} (see 'staffroom --help')");
            EXIT_USAGE
        }
    }
}

async fn dispatch(
    command: Command,
    config: &Config,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    match command {
        Command::Serve(args) => serve(config, args, stdout).await,
        Command::Migrate(command) => run_migrate(config, command, stdout).await,
        Command::Admin(command) => {
            let (db, lease) = admin::open(config).await?;
            let result = match command {
                AdminCommand::CreateUser {
                    username,
                    email,
                    display_name,
                    role,
                    password_stdin,
                } => {
                    let password = if password_stdin {
                        Some(read_password(stdin)?)
                    } else {
                        None
                    };
                    let new = users::NewUserArgs {
                        display_name: display_name.unwrap_or_else(|| username.clone()),
                        username,
                        email,
                        role: role.into(),
                        password,
                    };
                    users::create_user(&db, new, stdout).await
                }
                AdminCommand::SetRole { username, role } => {
                    users::set_role(&db, &username, role.into(), stdout).await
                }
                AdminCommand::DisableUser { username } => {
                    users::set_disabled(&db, &username, true, stdout).await
                }
                AdminCommand::EnableUser { username } => {
                    users::set_disabled(&db, &username, false, stdout).await
                }
                AdminCommand::DeleteUser { username } => {
                    users::delete_user(&db, config, &username, stdout).await
                }
                AdminCommand::PendingUsers => users::pending_users(&db, stdout).await,
                AdminCommand::ImportSchools { file } => {
                    import_schools::import_schools(&db, &file, stdout, stderr).await
                }
                AdminCommand::ApproveUser { username } => {
                    users::approve_user(&db, config, &username, stdout).await
                }
                AdminCommand::ResetPassword { username } => {
                    users::reset_password(&db, config, &username, stdout).await
                }
                AdminCommand::DisableTwoFactor { username } => {
                    users::disable_two_factor(&db, config, &username, stdout).await
                }
                AdminCommand::Domain(command) => match command {
                    DomainCommand::Block { domain, reason } => {
                        domains::set_domain_rule(
                            &db,
                            config,
                            &domain,
                            Policy::Block,
                            &reason,
                            stdout,
                        )
                        .await
                    }
                    DomainCommand::Allow { domain, reason } => {
                        domains::set_domain_rule(
                            &db,
                            config,
                            &domain,
                            Policy::Allow,
                            &reason,
                            stdout,
                        )
                        .await
                    }
                    DomainCommand::Remove { domain } => {
                        domains::remove_domain_rule(&db, &domain, stdout).await
                    }
                    DomainCommand::List => domains::list_domain_rules(&db, config, stdout).await,
                },
                AdminCommand::CreateInvite {
                    max_uses,
                    expires_in_days,
                } => users::create_invite(&db, config, max_uses, expires_in_days, stdout).await,
                AdminCommand::Account(command) => match command {
                    AccountCommand::Suspend { account, reason } => {
                        admin_accounts::suspend(&db, config, &account, &reason, stdout).await
                    }
                    AccountCommand::Unsuspend { account } => {
                        admin_accounts::unsuspend(&db, config, &account, stdout).await
                    }
                    AccountCommand::Suspended => admin_accounts::list(&db, stdout).await,
                    AccountCommand::Silence { account } => {
                        admin_accounts::set_silenced(&db, &account, true, stdout).await
                    }
                    AccountCommand::Unsilence { account } => {
                        admin_accounts::set_silenced(&db, &account, false, stdout).await
                    }
                },
                AdminCommand::Reports(command) => match command {
                    ReportsCommand::List { resolved } => {
                        admin_reports::list(&db, resolved, stdout).await
                    }
                    ReportsCommand::Show { id } => admin_reports::show(&db, id, stdout).await,
                    ReportsCommand::Resolve { id } => {
                        admin_reports::set_resolved(&db, id, true, stdout).await
                    }
                    ReportsCommand::Reopen { id } => {
                        admin_reports::set_resolved(&db, id, false, stdout).await
                    }
                },
                AdminCommand::Media(MediaCommand::Prune) => {
                    admin_media::prune(&db, config, stdout).await
                }
                AdminCommand::Feeds(command) => match command {
                    FeedsCommand::Subscribe { feed } => {
                        admin_hashtags::subscribe(&db, config, &feed, stdout).await
                    }
                    FeedsCommand::Unsubscribe { feed } => {
                        admin_hashtags::unsubscribe(&db, config, &feed, stdout).await
                    }
                    FeedsCommand::List => admin_hashtags::list(&db, stdout).await,
                },
                AdminCommand::CreateChallenge {
                    title,
                    hashtag,
                    starts,
                    ends,
                    run_by,
                    trust,
                    description,
                    feed_host,
                } => {
                    let args = admin_hashtags::ChallengeArgs {
                        title,
                        hashtag,
                        starts,
                        ends,
                        run_by,
                        trust,
                        description,
                        feed_host,
                    };
                    admin_hashtags::create_challenge(&db, config, args, stdout).await
                }
            };
            admin::close(db, &lease).await;
            result
        }
    }
}

/// The first line of standard input, without its line ending.
fn read_password(stdin: &mut dyn BufRead) -> Result<String, Failure> {
    let mut line = String::new();
    stdin.read_line(&mut line).map_err(|e| {
        Failure::failed(format!("cannot read the password from standard input: {e}"))
    })?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

async fn serve(config: &Config, args: ServeArgs, stdout: &mut dyn Write) -> Result<(), Failure> {
    let instance = RunningInstance::start(config, None)
        .await
        .map_err(Failure::failed)?;
    if args.demo
        && let Err(e) = demo::seed(instance.db(), &config.urls, stdout).await
    {
        instance.shut_down().await;
        return Err(Failure::failed(format!("cannot seed the demo data: {e}")));
    }
    let _ = writeln!(
        stdout,
        "Staffroom is running at {} (listening on {}). Press Ctrl-C to stop.",
        config.urls.origin(),
        instance.local_addr()
    );
    let _ = stdout.flush();
    app::shutdown_signal().await;
    instance.shut_down().await;
    Ok(())
}

async fn run_migrate(
    config: &Config,
    command: MigrateCommand,
    stdout: &mut dyn Write,
) -> Result<(), Failure> {
    let db = app::open_database(config).await.map_err(Failure::failed)?;
    let result = match command {
        MigrateCommand::Up => migrate::up(&db).await.map(|applied| {
            if applied.is_empty() {
                let _ = writeln!(stdout, "The database is up to date.");
            }
            for name in applied {
                let _ = writeln!(stdout, "applied      {name}");
            }
        }),
        MigrateCommand::Down { steps, all } => migrate::down(&db, (!all).then_some(steps))
            .await
            .map(|rolled_back| {
                if rolled_back.is_empty() {
                    let _ = writeln!(stdout, "No migration is applied.");
                }
                for name in rolled_back {
                    let _ = writeln!(stdout, "rolled back  {name}");
                }
            }),
        MigrateCommand::Status => migrate::status(&db).await.map(|states| {
            for state in states {
                let label = if state.applied { "applied" } else { "pending" };
                let _ = writeln!(stdout, "{label:<12} {}", state.name);
            }
        }),
    };
    db.close().await.ok();
    result.map_err(|e| Failure::failed(format!("migration failed: {e}")))
}
