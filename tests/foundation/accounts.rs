//! Local accounts: rules, storage, passwords, roles.

use kakehashi::db::ids;
use kakehashi::domain::accounts::{self, NewLocalUser, Role};
use kakehashi::error::AppError;

use crate::support::TestApp;
use crate::support::app::PASSWORD;

fn new_user(username: &str, email: &str, password: &str) -> NewLocalUser {
    NewLocalUser {
        username: username.to_owned(),
        email: email.to_owned(),
        password: password.to_owned(),
        display_name: None,
        role: Role::User,
        locale: "ja".to_owned(),
    }
}

#[tokio::test]
async fn a_member_is_stored_with_keys_urls_and_a_hashed_password() {
    let app = TestApp::new().await;
    let before = chrono::Utc::now();
    let member = app.create_user("hanako").await;
    let account = &member.account;
    assert!(account.is_local());
    assert_eq!(account.ap_id, "http://kakehashi.test/users/hanako");
    assert_eq!(
        account.inbox_url,
        "http://kakehashi.test/users/hanako/inbox"
    );
    assert_eq!(
        account.shared_inbox_url.as_deref(),
        Some("http://kakehashi.test/inbox")
    );
    assert_eq!(
        account.url.as_deref(),
        Some("http://kakehashi.test/@hanako")
    );
    assert!(
        account
            .public_key_pem
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    assert!(
        account
            .private_key_pem
            .as_deref()
            .is_some_and(|k| k.contains("PRIVATE KEY"))
    );
    assert!(member.user.password_hash.starts_with("$argon2id$"));
    assert!(!member.user.password_hash.contains(PASSWORD));
    assert_eq!(member.role(), Role::User);
    let issued = ids::time_of(account.id).expect("snowflake time");
    assert!(
        (issued - before).num_seconds().abs() < 60,
        "id carries its time"
    );

    let found = accounts::find_local_user(&app.state.db, "HANAKO")
        .await
        .expect("found");
    assert_eq!(found.account.id, account.id);
}

#[tokio::test]
async fn names_and_addresses_are_unique_whatever_their_case() {
    let app = TestApp::new().await;
    app.create_user("hanako").await;
    let (db, urls) = (&app.state.db, &app.state.urls);

    let taken =
        accounts::create_local_user(db, urls, new_user("Hanako", "other@city.example", PASSWORD))
            .await;
    assert!(
        matches!(&taken, Err(AppError::Conflict(m)) if m.contains("already taken")),
        "{taken:?}"
    );

    let email =
        accounts::create_local_user(db, urls, new_user("taro", "HANAKO@city.example", PASSWORD))
            .await;
    assert!(
        matches!(&email, Err(AppError::Conflict(m)) if m.contains("already in use")),
        "{email:?}"
    );
    assert_eq!(accounts::list_local_users(db).await.expect("list").len(), 1);
}

#[tokio::test]
async fn bad_input_is_refused_with_a_reason() {
    let app = TestApp::new().await;
    let (db, urls) = (&app.state.db, &app.state.urls);
    for (user, expected) in [
        (
            new_user("dx-study", "a@city.example", PASSWORD),
            "may only contain",
        ),
        (
            new_user("taro", "not-an-address", PASSWORD),
            "not a valid e-mail",
        ),
        (
            new_user("taro", "taro@city.example", "password1"),
            "too weak",
        ),
        (new_user("taro", "taro@city.example", "short"), "too short"),
        (new_user("admin", "taro@city.example", PASSWORD), "reserved"),
    ] {
        let result = accounts::create_local_user(db, urls, user).await;
        assert!(
            matches!(&result, Err(AppError::Unprocessable(m)) if m.contains(expected)),
            "expected {expected}: {result:?}"
        );
    }
    assert!(
        accounts::list_local_users(db)
            .await
            .expect("list")
            .is_empty()
    );
}

#[tokio::test]
async fn logins_check_the_password() {
    let app = TestApp::new().await;
    app.create_user("hanako").await;
    let db = &app.state.db;
    assert!(accounts::authenticate(db, "hanako", PASSWORD).await.is_ok());
    assert!(
        accounts::authenticate(db, "hanako@city.example", PASSWORD)
            .await
            .is_ok()
    );
    assert!(matches!(
        accounts::authenticate(db, "hanako", "wrong-password-entirely").await,
        Err(AppError::Unauthorized(_))
    ));
    assert!(matches!(
        accounts::authenticate(db, "nobody", PASSWORD).await,
        Err(AppError::Unauthorized(_))
    ));
    accounts::set_password(db, "hanako", "a-new-and-long-passphrase-9")
        .await
        .expect("set");
    assert!(
        accounts::authenticate(db, "hanako", PASSWORD)
            .await
            .is_err()
    );
    assert!(
        accounts::authenticate(db, "hanako", "a-new-and-long-passphrase-9")
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn roles_change_but_the_last_administrator_stays() {
    let app = TestApp::new().await;
    app.create_user_with_role("chief", Role::Admin).await;
    app.create_user("hanako").await;
    let db = &app.state.db;
    let promoted = accounts::set_role(db, "hanako", Role::Moderator)
        .await
        .expect("promote");
    assert_eq!(promoted.role(), Role::Moderator);
    let refused = accounts::set_role(db, "chief", Role::User).await;
    assert!(
        matches!(refused, Err(AppError::Unprocessable(_))),
        "{refused:?}"
    );
    accounts::set_role(db, "hanako", Role::Admin)
        .await
        .expect("second admin");
    accounts::set_role(db, "chief", Role::User)
        .await
        .expect("now allowed");
    assert!(accounts::admin_exists(db).await.expect("query"));
    let missing = accounts::set_role(db, "nobody", Role::Admin).await;
    assert!(matches!(missing, Err(AppError::Missing(m)) if m.contains("nobody")));
}
