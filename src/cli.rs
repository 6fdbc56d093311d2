//! The `passerelle` command line: `serve`, `migrate`, `admin …`.

use std::{io::BufRead, path::PathBuf};

use clap::{Parser, Subcommand};

use crate::{
    config::{Config, LogFormat},
    model::{scope::Scopes, visibility::CommunityVisibility},
    service::{
        accounts::{self, NewUser},
        communities::{self, NewCommunity},
        oauth,
    },
    state::AppState,
};

#[derive(Parser)]
#[command(
    name = "passerelle",
    version,
    about = "A federated enterprise social network server"
)]
pub struct Cli {
    /// Configuration file.
    #[arg(long, global = true, default_value = "config.toml")]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Apply migrations and serve (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Administration tasks.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Fill the database with realistic data for benchmarks (never on production:
    /// seeded accounts share a password and key pairs).
    Seed {
        #[arg(long, default_value_t = 1_000)]
        users: usize,
        #[arg(long, default_value_t = 100)]
        communities: usize,
        #[arg(long, default_value_t = 100_000)]
        posts: usize,
        #[arg(long, default_value_t = 300_000)]
        comments: usize,
        /// The large preset: 1,000,000 posts and 3,000,000 comments.
        #[arg(long)]
        large: bool,
    },
    /// Create a local user; the password is read from standard input.
    CreateUser {
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        admin: bool,
    },
    /// Print an OAuth access token for a user, alone on standard output.
    CreateToken {
        name: String,
        #[arg(long, default_value = "read write follow")]
        scopes: String,
    },
    /// Print a new invitation code (for registration.mode = "invite").
    CreateInvite {
        /// How many accounts it may create (no limit when absent).
        #[arg(long)]
        uses: Option<i32>,
        /// Days before it expires (never when absent).
        #[arg(long)]
        days: Option<i64>,
        /// Mail the invitation (with the sign-up link) to this address: single
        /// use, valid 14 days, sent by the running server's mail queue.
        #[arg(long, conflicts_with_all = ["uses", "days"])]
        email: Option<String>,
    },
    /// Appoint a member of a local community as moderator (as its owner would).
    AddModerator { community: String, user: String },
    /// Remove a moderator of a local community.
    RemoveModerator { community: String, user: String },
    /// Which servers hold a community's content, and since when.
    Ledger { community: String },
    /// Revoke a server from a community: its members leave, it gets Deletes for
    /// what it received, and nothing more.
    RevokeInstance { community: String, domain: String },
    /// Retry deliveries to a server now, even one marked unreachable.
    RetryDestination { domain: String },
    /// Create a community owned by a local user.
    CreateCommunity {
        name: String,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, default_value = "public")]
        visibility: CommunityVisibility,
    },
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(&config.log.level))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    match config.log.format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// Runs the command; the error is printed by `main`.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(&cli.config)?;
    init_logging(&config);
    if config.federation.allow_insecure {
        tracing::warn!(
            "federation.allow_insecure is ON: plain http, explicit ports and loopback \
             addresses are allowed. Use this for local testing only, never in production."
        );
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let bind = config.server.bind.clone();
            let state = crate::build_state(config).await?;
            let listener = tokio::net::TcpListener::bind(&bind).await?;
            tracing::info!(address = %listener.local_addr()?, domain = %state.urls.domain(),
                backend = state.db.backend().name(), "Passerelle listening");
            crate::serve(state, listener).await
        }
        Command::Migrate => {
            let db = crate::db::Db::connect(&config.database.url, 1)?;
            let applied = tokio::task::spawn_blocking(move || db.migrate()).await??;
            eprintln!("{applied} migration(s) applied");
            Ok(())
        }
        Command::Admin(cmd) => admin(config, cmd).await,
    }
}

fn app_error(e: crate::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{}", e.message)
}

async fn admin(config: Config, cmd: AdminCommand) -> anyhow::Result<()> {
    let state = crate::build_state(config).await?;
    match cmd {
        AdminCommand::Seed {
            users,
            communities,
            posts,
            comments,
            large,
        } => {
            let scale = crate::seed::Scale {
                users,
                communities,
                posts: if large { 1_000_000 } else { posts },
                comments: if large { 3_000_000 } else { comments },
            };
            seed(&state, scale).await?
        }
        AdminCommand::CreateUser { name, email, admin } => {
            create_user(&state, name, email, admin).await?
        }
        AdminCommand::CreateInvite { uses, days, email } => {
            create_invite(&state, uses, days, email).await?
        }
        AdminCommand::CreateToken { name, scopes } => create_token(&state, name, &scopes).await?,
        AdminCommand::CreateCommunity {
            name,
            owner,
            title,
            visibility,
        } => {
            let new = NewCommunity {
                name,
                owner,
                title,
                visibility,
            };
            create_community(&state, new).await?
        }
        AdminCommand::RetryDestination { domain } => retry_destination(&state, domain).await?,
        AdminCommand::Ledger { community } => print_ledger(&state, &community).await?,
        AdminCommand::RevokeInstance { community, domain } => {
            revoke_instance(&state, &community, &domain).await?
        }
        AdminCommand::AddModerator { community, user } => {
            set_moderator(&state, &community, &user, true).await?
        }
        AdminCommand::RemoveModerator { community, user } => {
            set_moderator(&state, &community, &user, false).await?
        }
    }
    // Federation of what the command changed finishes before the process exits.
    state.drain(std::time::Duration::from_secs(30)).await;
    Ok(())
}

/// `admin seed`: a summary on standard error, then the ids a benchmark needs
/// as `key=value` lines on standard output.
async fn seed(state: &AppState, scale: crate::seed::Scale) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let s = crate::seed::seed(state, scale).await?;
    eprintln!(
        "seeded {} people, {} communities, {} threads ({} events, {} documents), {} comments in {:.1} s",
        s.users,
        s.communities,
        s.posts,
        s.events,
        s.documents,
        s.comments,
        started.elapsed().as_secs_f64()
    );
    if let Some(id) = s.hot_thread_id {
        println!("hot_thread_id={id}");
    }
    if let Some(id) = s.hot_community_id {
        println!("hot_community_id={id}");
    }
    if let Some(name) = s.sample_person {
        println!("sample_person={name}");
    }
    Ok(())
}

/// `admin create-user`: the password comes from standard input, not the command
/// line, so that it stays out of shell history and process lists.
async fn create_user(
    state: &AppState,
    name: String,
    email: String,
    admin: bool,
) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        anyhow::bail!("a password is required on standard input");
    }
    let (_, actor) = accounts::create_user(
        state,
        NewUser {
            name,
            email,
            password,
            admin,
        },
    )
    .await
    .map_err(app_error)?;
    eprintln!("created user {} ({})", actor.name, actor.ap_id);
    Ok(())
}

/// `admin create-invite`: made by the instance actor, printed alone on standard output.
async fn create_invite(
    state: &AppState,
    uses: Option<i32>,
    days: Option<i64>,
    email: Option<String>,
) -> anyhow::Result<()> {
    let instance = crate::service::accounts::ensure_instance_actor(state)
        .await
        .map_err(app_error)?;
    let code = match email {
        Some(address) => {
            let t = crate::service::mail::tr_of(state, "");
            let code = crate::service::registration::invite_by_email(state, &instance, &address, t)
                .await
                .map_err(app_error)?;
            eprintln!("invitation to {address} queued for mail");
            code
        }
        None => {
            crate::service::registration::create_invite(state, instance.id, uses, days)
                .await
                .map_err(app_error)?
                .0
        }
    };
    println!("{code}");
    Ok(())
}

/// `admin create-token`: the token alone on standard output, for scripts.
async fn create_token(state: &AppState, name: String, scopes: &str) -> anyhow::Result<()> {
    let scopes = Scopes::parse(scopes)?;
    let login = name.clone();
    let user = state
        .db
        .run(move |c| Ok(crate::db::users::by_login(c, &login)?))
        .await
        .map_err(app_error)?
        .ok_or_else(|| anyhow::anyhow!("no local user named {name}"))?;
    let token = oauth::issue_admin_token(state, user.0.id, scopes)
        .await
        .map_err(app_error)?;
    println!("{}", token.access_token);
    Ok(())
}

async fn create_community(state: &AppState, new: NewCommunity) -> anyhow::Result<()> {
    let community = communities::create_community(state, new)
        .await
        .map_err(app_error)?;
    eprintln!(
        "created community {} ({}, {})",
        community.name, community.visibility, community.ap_id
    );
    Ok(())
}

/// `admin retry-destination`: only marks the deliveries due; a running server
/// sends them.
async fn retry_destination(state: &AppState, domain: String) -> anyhow::Result<()> {
    let domain = crate::service::administration::retry(state, &domain)
        .await
        .map_err(app_error)?;
    eprintln!("deliveries to {domain} are due now (a running server picks them up)");
    Ok(())
}

/// `admin ledger`: one tab-separated line per server.
async fn print_ledger(state: &AppState, community: &str) -> anyhow::Result<()> {
    let c = local_community(state, community).await?;
    for l in crate::service::ledger::ledger(state, None, &c)
        .await
        .map_err(app_error)?
    {
        let fmt = |t: Option<chrono::NaiveDateTime>| {
            t.map(|t| t.and_utc().to_rfc3339()).unwrap_or_default()
        };
        println!(
            "{}\t{} objects\t{}\t{}",
            l.domain,
            l.objects,
            fmt(l.first_delivered_at),
            fmt(l.last_delivered_at)
        );
    }
    Ok(())
}

async fn revoke_instance(state: &AppState, community: &str, domain: &str) -> anyhow::Result<()> {
    let c = local_community(state, community).await?;
    crate::service::ledger::revoke(state, None, &c, domain)
        .await
        .map_err(app_error)?;
    eprintln!(
        "revoked {domain} from {}: its members left; Deletes are queued",
        c.name
    );
    Ok(())
}

async fn local_community(
    state: &crate::state::AppState,
    name: &str,
) -> anyhow::Result<crate::db::actors::Actor> {
    let n = name.to_string();
    state
        .db
        .run(move |c| {
            Ok(crate::db::actors::local_by_name_and_kind(
                c,
                &n,
                crate::model::actor::ActorKind::Group,
            )?)
        })
        .await
        .map_err(app_error)?
        .ok_or_else(|| anyhow::anyhow!("no local community named {name}"))
}

async fn set_moderator(
    state: &crate::state::AppState,
    community: &str,
    user: &str,
    add: bool,
) -> anyhow::Result<()> {
    use crate::{db, model::actor::ActorKind};
    let (c, u) = (community.to_string(), user.to_string());
    let (community, person, owner) = state
        .db
        .run(move |conn| {
            let community = db::actors::local_by_name_and_kind(conn, &c, ActorKind::Group)?
                .ok_or_else(|| {
                    crate::error::AppError::unprocessable(format!("no local community named {c}"))
                })?;
            let person = db::actors::local_by_name_and_kind(conn, &u, ActorKind::Person)?
                .ok_or_else(|| {
                    crate::error::AppError::unprocessable(format!("no local user named {u}"))
                })?;
            let owner = db::communities::moderators(conn, community.id)?
                .into_iter()
                .find(|m| {
                    db::communities::role(conn, community.id, m.id)
                        .ok()
                        .flatten()
                        .as_deref()
                        == Some(db::communities::OWNER)
                })
                .ok_or_else(|| {
                    crate::error::AppError::unprocessable("the community has no owner")
                })?;
            Ok((community, person, owner))
        })
        .await
        .map_err(app_error)?;
    communities::set_moderator(state, &owner, &community, person.id, add)
        .await
        .map_err(app_error)?;
    eprintln!(
        "{} {} as moderator of {}",
        if add { "appointed" } else { "removed" },
        person.name,
        community.name
    );
    Ok(())
}
