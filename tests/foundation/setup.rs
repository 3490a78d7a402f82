//! The one-time setup page that creates the first administrator.

use axum::http::StatusCode;
use kakehashi::domain::accounts::{self, Role};

use crate::support::TestApp;
use crate::support::app::PASSWORD;

fn set_token(app: &TestApp, token: &str) {
    *app.state.setup_token.lock().expect("lock") = Some(token.to_owned());
}

#[tokio::test]
async fn the_setup_link_creates_one_administrator_once() {
    let app = TestApp::new().await;
    set_token(&app, "tok123");

    let wrong = app.get("/setup/wrong").await;
    assert!(wrong.text().contains("無効"), "{}", wrong.text());
    let form = app.get("/setup/tok123?lang=en").await;
    form.assert_status(StatusCode::OK);
    assert!(form.text().contains("<form method=\"post\""));

    let weak = app
        .post_form(
            "/setup/tok123",
            &[
                ("username", "chief"),
                ("email", "chief@city.example"),
                ("password", "password"),
            ],
        )
        .await;
    assert!(weak.text().contains("too weak"), "{}", weak.text());
    assert!(!accounts::admin_exists(&app.state.db).await.expect("query"));

    let done = app
        .post_form(
            "/setup/tok123?lang=en",
            &[
                ("username", "chief"),
                ("display_name", "Chief"),
                ("email", "chief@city.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(done.text().contains("has been created"), "{}", done.text());
    let chief = accounts::find_local_user(&app.state.db, "chief")
        .await
        .expect("created");
    assert_eq!(chief.role(), Role::Admin);
    assert_eq!(chief.account.display_name, "Chief");

    let again = app
        .post_form(
            "/setup/tok123",
            &[
                ("username", "second"),
                ("email", "second@city.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(again.text().contains("無効"));
    assert!(
        accounts::find_local_user(&app.state.db, "second")
            .await
            .is_err()
    );
}
