//! The command line: `serve` (the default), `migrate`, `check-config` and `admin ...`.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::domain::accounts::{self, NewLocalUser, Role};
use crate::domain::discovery;
use crate::domain::groups::{self, NewGroup};
use crate::federation_glue::discovery as glue;
use crate::state::AppState;

/// Kakehashi (架け橋): a federated community server for local-government staff and their partners.
#[derive(Debug, Parser)]
#[command(name = "kakehashi", version, about)]
pub struct Cli {
    /// Configuration file (default: ./kakehashi.toml when it exists).
    #[arg(long, short, global = true, env = "KAKEHASHI_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the instance (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Check the configuration and the database connection, print the effective settings.
    CheckConfig,
    /// Manage local accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a local account. Without --password, it is asked for (or read from standard input).
    CreateUser {
        username: String,
        email: String,
        #[arg(long)]
        password: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
        /// Make the account an administrator (same as --role admin).
        #[arg(long)]
        admin: bool,
        /// user, moderator or admin.
        #[arg(long, default_value = "user")]
        role: String,
        /// Language of the account's pages and e-mails: ja or en.
        #[arg(long, default_value = "ja")]
        locale: String,
    },
    /// Set a local account's password.
    SetPassword {
        username: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Set a local account's role: user, moderator or admin.
    SetRole { username: String, role: String },
    /// List local accounts.
    ListUsers,
    /// Create a local group owned by a local account (who becomes its owner and first member).
    CreateGroup {
        /// The group's handle: `dx-study` for @dx-study@this.domain.
        slug: String,
        /// The local account that owns the group.
        #[arg(long)]
        owner: String,
        #[arg(long, default_value = "")]
        display_name: String,
        /// The description shown on the group's page.
        #[arg(long, default_value = "")]
        note: String,
        /// The rules, one per line.
        #[arg(long, default_value = "")]
        rules: String,
        /// A topic tag (without #); repeat for several.
        #[arg(long = "topic")]
        topics: Vec<String>,
        /// open, approval or invite.
        #[arg(long, default_value = "open")]
        join_policy: String,
        /// Posts are visible to members only.
        #[arg(long)]
        members_only: bool,
    },
    /// Partner instances: our instance actor and theirs follow each other, and each announces
    /// its public events to the other.
    Partner {
        #[command(subcommand)]
        command: PartnerCommand,
    },
    /// ActivityPub relays (LitePub or Mastodon style) our instance actor follows.
    Relay {
        #[command(subcommand)]
        command: RelayCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum PartnerCommand {
    /// Follow another instance's actor (by domain or actor URL) and accept its follow of ours.
    Add { target: String },
    /// End a partnership: undo our follow and remove theirs.
    Remove { target: String },
    /// List partners, with the state of both follows.
    List,
    /// Instance actors that asked to follow ours and wait for `partner add`.
    Requests,
}

#[derive(Debug, Subcommand)]
pub enum RelayCommand {
    /// Follow a relay: its actor URL (LitePub) or its inbox URL (Mastodon).
    Add {
        target: String,
        /// litepub or mastodon (default: mastodon for an URL ending in /inbox).
        #[arg(long)]
        style: Option<String>,
    },
    /// Stop following a relay.
    Remove { target: String },
    /// List relays.
    List,
}

/// Runs one command with a loaded configuration.
pub async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => crate::server::serve(config).await,
        Command::Migrate => {
            let db = crate::db::Db::connect(&config.database_url(), 2).await?;
            let applied = db.migrate().await?;
            if applied.is_empty() {
                println!("The database is up to date.");
            } else {
                for name in applied {
                    println!("applied {name}");
                }
            }
            Ok(())
        }
        Command::CheckConfig => {
            let db = crate::db::Db::connect(&config.database_url(), 1).await?;
            let url = crate::db::DatabaseUrl::parse(&config.database_url())
                .map_err(anyhow::Error::msg)?;
            println!("The configuration is valid.");
            println!(
                "  public URL: {}",
                config.base_url().map_err(anyhow::Error::msg)?
            );
            println!("  listen:     {}", config.server.listen);
            println!(
                "  database:   {} ({:?}, reachable)",
                url.display(),
                db.backend()
            );
            println!("  data dir:   {}", config.server.data_dir.display());
            Ok(())
        }
        Command::Admin { command } => admin(command, config).await,
    }
}

async fn admin(command: AdminCommand, config: Config) -> anyhow::Result<()> {
    let db = crate::server::open_database(&config).await?;
    let state = AppState::new(config, db).map_err(anyhow::Error::msg)?;
    match command {
        AdminCommand::CreateUser {
            username,
            email,
            password,
            display_name,
            admin,
            role,
            locale,
        } => {
            let role = if admin {
                Role::Admin
            } else {
                Role::parse(&role)?
            };
            let locale = crate::i18n::Lang::parse(&locale)
                .map(|l| l.code().to_owned())
                .with_context(|| format!("\"{locale}\" is not a supported locale; use ja or en"))?;
            let password = match password {
                Some(p) => p,
                None => read_password(&format!("Password for {username}: "))?,
            };
            let created = accounts::create_local_user(
                &state.db,
                &state.urls,
                NewLocalUser {
                    username,
                    email,
                    password,
                    display_name,
                    role,
                    locale,
                },
            )
            .await?;
            println!(
                "Created {} ({}) as {}: {}",
                created.account.username,
                created.user.email,
                created.user.role,
                created.account.ap_id
            );
        }
        AdminCommand::SetPassword { username, password } => {
            let password = match password {
                Some(p) => p,
                None => read_password(&format!("New password for {username}: "))?,
            };
            accounts::set_password(&state.db, &username, &password).await?;
            println!("The password of {username} has been changed.");
        }
        AdminCommand::SetRole { username, role } => {
            let role = Role::parse(&role)?;
            let user = accounts::set_role(&state.db, &username, role).await?;
            println!("{} is now {}.", user.account.username, user.user.role);
        }
        AdminCommand::ListUsers => {
            let users = accounts::list_local_users(&state.db).await?;
            println!("{:<20} {:<32} {:<10} CREATED", "USERNAME", "E-MAIL", "ROLE");
            for u in &users {
                println!(
                    "{:<20} {:<32} {:<10} {}",
                    u.account.username,
                    u.user.email,
                    u.user.role,
                    u.account.created_at.format("%Y-%m-%d %H:%M")
                );
            }
            println!("{} account(s)", users.len());
        }
        AdminCommand::CreateGroup {
            slug,
            owner,
            display_name,
            note,
            rules,
            topics,
            join_policy,
            members_only,
        } => {
            let owner = accounts::find_local_user(&state.db, &owner).await?;
            let group = groups::create(
                &state,
                &owner,
                NewGroup {
                    slug,
                    display_name,
                    note,
                    rules,
                    topics,
                    members_only,
                    join_policy,
                },
            )
            .await?;
            println!(
                "Created the group {} owned by {}: {}",
                group.username, owner.account.username, group.ap_id
            );
        }
        AdminCommand::Partner { command } => partner(&state, command).await?,
        AdminCommand::Relay { command } => relay(&state, command).await?,
    }
    Ok(())
}

fn print_partners(partners: &[discovery::PartnerView]) {
    println!(
        "{:<48} {:<16} {:<10} {:<10} ACTIVE",
        "ACTOR", "KIND", "OURS", "THEIRS"
    );
    for p in partners {
        println!(
            "{:<48} {:<16} {:<10} {:<10} {}",
            p.actor.ap_id,
            p.partner.kind,
            p.partner.state,
            p.their_follow.as_deref().unwrap_or("-"),
            if p.active() { "yes" } else { "no" }
        );
    }
    println!("{} entr(ies)", partners.len());
}

async fn partner(state: &AppState, command: PartnerCommand) -> anyhow::Result<()> {
    match command {
        PartnerCommand::Add { target } => {
            let actor = glue::resolve_instance_actor(state, &target).await?;
            let view = discovery::add_partner(state, actor).await?;
            println!(
                "Following {} (our follow: {}; theirs: {}). The server sends the Follow.",
                view.actor.ap_id,
                view.partner.state,
                view.their_follow.as_deref().unwrap_or("none yet")
            );
        }
        PartnerCommand::Remove { target } => {
            let actor = glue::find_known(state, &target).await?;
            discovery::remove(state, actor.clone()).await?;
            println!("No longer a partner: {}", actor.ap_id);
        }
        PartnerCommand::List => print_partners(&discovery::list(state, false).await?),
        PartnerCommand::Requests => {
            let requests = discovery::requests(state).await?;
            for actor in &requests {
                println!("{}", actor.ap_id);
            }
            println!("{} request(s)", requests.len());
        }
    }
    Ok(())
}

async fn relay(state: &AppState, command: RelayCommand) -> anyhow::Result<()> {
    match command {
        RelayCommand::Add { target, style } => {
            let style = style
                .as_deref()
                .map(discovery::RelayStyle::parse)
                .transpose()?;
            let (actor, style) = glue::resolve_relay(state, &target, style).await?;
            let view = discovery::add_relay(state, actor, style).await?;
            println!(
                "Following the relay {} ({}). The server sends the Follow.",
                view.actor.ap_id, view.partner.kind
            );
        }
        RelayCommand::Remove { target } => {
            let actor = glue::find_known(state, &target).await?;
            discovery::remove(state, actor.clone()).await?;
            println!("No longer following the relay {}", actor.ap_id);
        }
        RelayCommand::List => print_partners(&discovery::list(state, true).await?),
    }
    Ok(())
}

/// Asks on the terminal (twice), or reads one line from standard input when it is not a terminal.
fn read_password(prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(prompt).context("cannot read the password")?;
        let second =
            rpassword::prompt_password("Repeat it: ").context("cannot read the password")?;
        if first != second {
            bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let password = line.trim_end_matches(['\n', '\r']).to_owned();
        if password.is_empty() {
            bail!("no password given: pass --password or write it to standard input");
        }
        Ok(password)
    }
}
