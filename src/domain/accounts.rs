//! Local accounts: the rules for names, e-mail addresses, passwords and roles, and their creation.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::Utc;

use crate::db::models::{AccountRow, NewAccount, NewUser, UserRow};
use crate::db::{Db, ids, store};
use crate::domain::urls::Urls;
use crate::error::AppError;

/// Longest local user name, as on Mastodon.
pub const USERNAME_MAX: usize = 30;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// Names a member may not take: they are routes, roles or the instance actor's.
const RESERVED_USERNAMES: &[&str] = &[
    "about",
    "actor",
    "admin",
    "administrator",
    "api",
    "help",
    "inbox",
    "instance",
    "mod",
    "moderator",
    "nodeinfo",
    "oauth",
    "postmaster",
    "relay",
    "root",
    "settings",
    "setup",
    "support",
    "system",
    "webmaster",
    "well-known",
];

/// What a member may do beyond using their own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    User,
    Moderator,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(role: &str) -> Result<Role, AppError> {
        match role.trim().to_ascii_lowercase().as_str() {
            "user" => Ok(Role::User),
            "moderator" => Ok(Role::Moderator),
            "admin" => Ok(Role::Admin),
            other => Err(AppError::Unprocessable(format!(
                "\"{other}\" is not a role; use user, moderator or admin."
            ))),
        }
    }
}

/// A local member: the actor and the login.
#[derive(Debug, Clone)]
pub struct LocalUser {
    pub account: AccountRow,
    pub user: UserRow,
}

impl LocalUser {
    pub fn role(&self) -> Role {
        Role::parse(&self.user.role).unwrap_or(Role::User)
    }
}

/// What it takes to create a local member.
#[derive(Debug, Clone)]
pub struct NewLocalUser {
    pub username: String,
    pub email: String,
    pub password: String,
    pub display_name: Option<String>,
    pub role: Role,
    pub locale: String,
}

/// Mastodon's rule for local names: letters, digits and underscores, at most 30.
pub fn validate_username(username: &str) -> Result<(), AppError> {
    if username.is_empty() {
        return Err(AppError::Unprocessable(
            "The user name is empty.".to_owned(),
        ));
    }
    if username.chars().count() > USERNAME_MAX {
        return Err(AppError::Unprocessable(format!(
            "The user name \"{username}\" is longer than {USERNAME_MAX} characters."
        )));
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(AppError::Unprocessable(format!(
            "The user name \"{username}\" may only contain letters a-z, digits and underscores."
        )));
    }
    if RESERVED_USERNAMES.contains(&username.to_ascii_lowercase().as_str()) {
        return Err(AppError::Unprocessable(format!(
            "The user name \"{username}\" is reserved."
        )));
    }
    Ok(())
}

pub fn validate_email(email: &str) -> Result<(), AppError> {
    if email_address::EmailAddress::is_valid(email) && email.contains('.') {
        Ok(())
    } else {
        Err(AppError::Unprocessable(format!(
            "\"{email}\" is not a valid e-mail address."
        )))
    }
}

/// Long enough and not guessable: zxcvbn's score of at least 2 ("somewhat guarded"), taking the
/// name and e-mail address into account.
pub fn validate_password(password: &str, username: &str, email: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        return Err(AppError::Unprocessable(format!(
            "The password is too short: use at least {PASSWORD_MIN} characters."
        )));
    }
    if length > PASSWORD_MAX {
        return Err(AppError::Unprocessable(format!(
            "The password is too long: use at most {PASSWORD_MAX} characters."
        )));
    }
    let local_part = email.split('@').next().unwrap_or_default();
    let weak = zxcvbn::zxcvbn(password, &[username, email, local_part, "kakehashi"]).score()
        < zxcvbn::Score::Two;
    if weak {
        return Err(AppError::Unprocessable(
            "The password is too weak: avoid common words, names, dates and sequences.".to_owned(),
        ));
    }
    Ok(())
}

/// An argon2id hash in PHC string form.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AppError::internal)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Creates a local member with a fresh RSA key pair for federation.
pub async fn create_local_user(
    db: &Db,
    urls: &Urls,
    new: NewLocalUser,
) -> Result<LocalUser, AppError> {
    let username = new.username.trim().to_owned();
    let email = new.email.trim().to_owned();
    validate_username(&username)?;
    validate_email(&email)?;
    validate_password(&new.password, &username, &email)?;

    let check_name = username.clone();
    let check_email = email.clone();
    let (name_taken, email_taken) = db
        .run(move |conn| {
            Ok((
                store::accounts::local_username_taken(conn, &check_name)?,
                store::accounts::email_taken(conn, &check_email)?,
            ))
        })
        .await?;
    if name_taken {
        return Err(AppError::Conflict(format!(
            "The user name \"{username}\" is already taken."
        )));
    }
    if email_taken {
        return Err(AppError::Conflict(format!(
            "The e-mail address \"{email}\" is already in use."
        )));
    }

    let password = new.password;
    let (password_hash, keys) = tokio::task::spawn_blocking(move || {
        Ok::<_, AppError>((hash_password(&password)?, crate::domain::keys::generate()?))
    })
    .await
    .map_err(AppError::internal)??;

    let id = ids::next_id();
    let now = Utc::now().naive_utc();
    let actor = urls.actor(&username);
    let account = NewAccount {
        id,
        username: username.clone(),
        domain: None,
        actor_type: "Person".to_owned(),
        display_name: new.display_name.unwrap_or_default().trim().to_owned(),
        note: String::new(),
        url: Some(urls.profile(&username).to_string()),
        inbox_url: urls.actor_inbox(&username).to_string(),
        shared_inbox_url: Some(urls.shared_inbox().to_string()),
        outbox_url: Some(urls.actor_outbox(&username).to_string()),
        followers_url: Some(urls.actor_followers(&username).to_string()),
        following_url: Some(urls.actor_following(&username).to_string()),
        featured_url: Some(urls.actor_featured(&username).to_string()),
        ap_id: actor.to_string(),
        public_key_pem: keys.public_pem,
        private_key_pem: Some(keys.private_pem),
        locked: false,
        discoverable: true,
        bot: false,
        fields: "[]".to_owned(),
        created_at: now,
        updated_at: now,
    };
    let user = NewUser {
        account_id: id,
        email,
        password_hash,
        role: new.role.as_str().to_owned(),
        locale: new.locale,
        approved: true,
        created_at: now,
        updated_at: now,
    };
    let (account, user) = db
        .transaction(move |conn| Ok(store::accounts::insert_local(conn, &account, &user)?))
        .await
        .map_err(|e| match e {
            // Two requests raced for the same name or address.
            AppError::Conflict(_) => {
                AppError::Conflict("The user name or e-mail address is already taken.".to_owned())
            }
            other => other,
        })?;
    Ok(LocalUser { account, user })
}

/// A local member by name, or `NotFound`.
pub async fn find_local_user(db: &Db, username: &str) -> Result<LocalUser, AppError> {
    let name = username.trim().trim_start_matches('@').to_owned();
    db.run(move |conn| {
        store::accounts::find_local_user(conn, &name)?
            .map(|(account, user)| LocalUser { account, user })
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Replaces a member's password after checking the new one.
pub async fn set_password(db: &Db, username: &str, password: &str) -> Result<(), AppError> {
    let member = find_local_user(db, username)
        .await
        .map_err(|e| not_found_name(e, username))?;
    validate_password(password, &member.account.username, &member.user.email)?;
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)??;
    let id = member.account.id;
    db.run(move |conn| {
        store::accounts::set_password_hash(conn, id, &hash, Utc::now().naive_utc())?;
        Ok(())
    })
    .await
}

/// Changes a member's role. The last administrator cannot be demoted.
pub async fn set_role(db: &Db, username: &str, role: Role) -> Result<LocalUser, AppError> {
    let member = find_local_user(db, username)
        .await
        .map_err(|e| not_found_name(e, username))?;
    let id = member.account.id;
    let was_admin = member.role() == Role::Admin;
    db.transaction(move |conn| {
        if was_admin && role != Role::Admin && store::accounts::count_admins(conn)? <= 1 {
            return Err(AppError::Unprocessable(
                "This is the only administrator; make someone else an administrator first."
                    .to_owned(),
            ));
        }
        store::accounts::set_role(conn, id, role.as_str(), Utc::now().naive_utc())?;
        Ok(())
    })
    .await?;
    find_local_user(db, username).await
}

/// Checks a login by user name or e-mail address.
pub async fn authenticate(db: &Db, login: &str, password: &str) -> Result<LocalUser, AppError> {
    let login = login.trim().to_owned();
    let found = db
        .run(move |conn| {
            Ok(if login.contains('@') {
                store::accounts::find_user_by_email(conn, &login)?
            } else {
                store::accounts::find_local_user(conn, &login)?
            })
        })
        .await?;
    let password = password.to_owned();
    let hash = found.as_ref().map(|(_, u)| u.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || {
        // Hash even for an unknown login so the answer takes as long either way.
        match hash {
            Some(hash) => verify_password(&password, &hash),
            None => {
                let _ = verify_password(&password, dummy_hash());
                false
            }
        }
    })
    .await
    .map_err(AppError::internal)?;
    match found {
        Some((account, user)) if ok && !user.disabled => Ok(LocalUser { account, user }),
        _ => Err(AppError::Unauthorized(
            "The user name or password is wrong.".to_owned(),
        )),
    }
}

/// A real hash to check unknown logins against, made once.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

pub async fn list_local_users(db: &Db) -> Result<Vec<LocalUser>, AppError> {
    db.run(|conn| {
        Ok(store::accounts::list_local_users(conn)?
            .into_iter()
            .map(|(account, user)| LocalUser { account, user })
            .collect())
    })
    .await
}

pub async fn admin_exists(db: &Db) -> Result<bool, AppError> {
    db.run(|conn| Ok(store::accounts::count_admins(conn)? > 0))
        .await
}

fn not_found_name(error: AppError, username: &str) -> AppError {
    match error {
        AppError::NotFound => {
            AppError::Missing(format!("There is no local user named \"{username}\"."))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_mastodon_rules() {
        assert!(validate_username("hanako_01").is_ok());
        assert!(validate_username("Hanako").is_ok());
        assert!(validate_username("").is_err());
        assert!(validate_username("dx-study").is_err());
        assert!(validate_username("hanako.yamada").is_err());
        assert!(validate_username("山田").is_err());
        assert!(validate_username(&"a".repeat(31)).is_err());
        assert!(validate_username("admin").is_err());
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(validate_password("password", "hanako", "hanako@city.example").is_err());
        assert!(validate_password("12345678", "hanako", "hanako@city.example").is_err());
        assert!(validate_password("hanako123", "hanako", "hanako@city.example").is_err());
        assert!(validate_password("short", "hanako", "hanako@city.example").is_err());
        assert!(validate_password("river-lantern-kite-42", "hanako", "h@city.example").is_ok());
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("river-lantern-kite-42").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("river-lantern-kite-42", &hash));
        assert!(!verify_password("river-lantern-kite-43", &hash));
    }
}
