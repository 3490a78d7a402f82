//! Group pages with a signed-in member: join, leave, members, the moderators' queue.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kakehashi::domain::groups::{self, NewGroup};

use crate::support::TestApp;
use crate::support::app::PASSWORD;

/// Opens the sign-in page: the nonce cookie (`name=value`) and the form's CSRF token.
pub async fn sign_in_form(app: &TestApp) -> (String, String) {
    let page = app.get("/auth/sign_in").await;
    page.assert_status(StatusCode::OK);
    let cookie = page.header("set-cookie").expect("nonce cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("Path=/auth"));
    let pair = cookie.split(';').next().expect("pair").to_owned();
    let html = page.text();
    let start = html
        .find("name=\"csrf_token\" value=\"")
        .expect("csrf_token field")
        + 25;
    let token = html[start..].split('"').next().expect("value").to_owned();
    (pair, token)
}

/// Posts the sign-in form with the nonce cookie and token of a freshly opened page.
pub async fn post_sign_in(
    app: &TestApp,
    login: &str,
    password: &str,
    next: &str,
) -> crate::support::app::TestResponse {
    let (cookie, token) = sign_in_form(app).await;
    post(
        app,
        "/auth/sign_in",
        &cookie,
        &[
            ("login", login),
            ("password", password),
            ("next", next),
            ("csrf_token", &token),
        ],
    )
    .await
}

/// Signs in through the form and returns the session cookie.
pub async fn sign_in(app: &TestApp, login: &str) -> String {
    let response = post_sign_in(app, login, PASSWORD, "/groups").await;
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{}",
        response.text()
    );
    let cookie = response.header("set-cookie").expect("cookie").to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    cookie.split(';').next().expect("pair").to_owned()
}

pub fn csrf_of(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").expect("csrf field") + 19;
    html[start..].split('"').next().expect("value").to_owned()
}

pub async fn get(app: &TestApp, path: &str, cookie: &str) -> crate::support::app::TestResponse {
    app.get_with(path, &[("cookie", cookie)]).await
}

pub async fn post(
    app: &TestApp,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> crate::support::app::TestResponse {
    app.request(
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(serde_urlencoded::to_string(form).expect("form")))
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn signing_in_refuses_a_wrong_password_and_outside_redirects() {
    let app = TestApp::new().await;
    app.create_user("hanako").await;
    let wrong = post_sign_in(&app, "hanako", "nope-nope-nope", "/").await;
    wrong.assert_status(StatusCode::UNAUTHORIZED);
    assert!(
        !wrong
            .header("set-cookie")
            .is_some_and(|c| c.starts_with("kakehashi_session="))
    );
    let outside = post_sign_in(&app, "hanako", PASSWORD, "//evil.example/").await;
    assert_eq!(outside.header("location"), Some("/"));
    // Without the page's token, or with another page's nonce, the right password does not sign in:
    // another site cannot sign a visitor in to an account of its choosing.
    let bare = app
        .post_form(
            "/auth/sign_in",
            &[("login", "hanako"), ("password", PASSWORD), ("next", "/")],
        )
        .await;
    bare.assert_status(StatusCode::FORBIDDEN);
    let (_, token) = sign_in_form(&app).await;
    let (other_cookie, _) = sign_in_form(&app).await;
    let mixed = post(
        &app,
        "/auth/sign_in",
        &other_cookie,
        &[
            ("login", "hanako"),
            ("password", PASSWORD),
            ("next", "/"),
            ("csrf_token", &token),
        ],
    )
    .await;
    mixed.assert_status(StatusCode::FORBIDDEN);
    for refused in [&bare, &mixed] {
        assert!(
            !refused
                .header("set-cookie")
                .is_some_and(|c| c.starts_with("kakehashi_session="))
        );
    }
    // A forged cookie is no session.
    let page = get(&app, "/groups", "kakehashi_session=1.99999999999.forged").await;
    page.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn members_join_leave_and_moderators_approve_from_the_pages() {
    let app = TestApp::new().await;
    let chief = app.create_user("chief").await;
    app.create_user("hanako").await;
    groups::create(
        &app.state,
        &chief,
        NewGroup {
            slug: "dx-study".into(),
            display_name: "DX研究会".into(),
            note: "自治体DXを学ぶ".into(),
            rules: "敬意を持って\n宣伝はしない".into(),
            topics: vec!["DX".into()],
            members_only: false,
            join_policy: groups::APPROVAL.into(),
        },
    )
    .await
    .expect("group");

    let anonymous = app.get("/groups/dx-study").await;
    anonymous.assert_status(StatusCode::OK);
    let html = anonymous.text();
    assert!(
        html.contains("DX研究会")
            && html.contains("宣伝はしない")
            && html.contains("/auth/sign_in?next=/groups/dx-study")
    );
    assert!(app.get("/groups").await.text().contains("/groups/dx-study"));

    let hanako = sign_in(&app, "hanako").await;
    let page = get(&app, "/groups/dx-study", &hanako).await.text();
    let csrf = csrf_of(&page);
    // A form without the token is refused.
    post(&app, "/groups/dx-study/join", &hanako, &[("csrf", "bogus")])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let joined = post(&app, "/groups/dx-study/join", &hanako, &[("csrf", &csrf)]).await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    assert!(
        get(&app, "/groups/dx-study", &hanako)
            .await
            .text()
            .contains("申請中"),
        "held for approval"
    );

    // Hanako may not see the moderation queue; the owner may, and approves.
    get(&app, "/groups/dx-study/moderation", &hanako)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let chief_cookie = sign_in(&app, "chief").await;
    let queue = get(&app, "/groups/dx-study/moderation?lang=en", &chief_cookie).await;
    queue.assert_status(StatusCode::OK);
    let html = queue.text();
    assert!(html.contains("@hanako@kakehashi.test"), "{html}");
    let start = html.find("/requests/").expect("request form") + 10;
    let account_id = html[start..].split('/').next().expect("id").to_owned();
    let approved = post(
        &app,
        &format!("/groups/dx-study/requests/{account_id}/approve"),
        &chief_cookie,
        &[("csrf", &csrf_of(&html))],
    )
    .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    let members = get(&app, "/groups/dx-study/members?lang=en", &hanako)
        .await
        .text();
    assert!(
        members.contains("@hanako@kakehashi.test") && members.contains("Owner"),
        "{members}"
    );
    let log = get(&app, "/groups/dx-study/moderation", &chief_cookie)
        .await
        .text();
    // The log says what happened in the page's language, and to whom.
    assert!(
        log.contains("参加を承認") && log.contains("@hanako@kakehashi.test"),
        "{log}"
    );

    let page = get(&app, "/groups/dx-study", &hanako).await.text();
    assert!(page.contains("メンバーです"));
    let left = post(
        &app,
        "/groups/dx-study/leave",
        &hanako,
        &[("csrf", &csrf_of(&page))],
    )
    .await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    assert!(
        get(&app, "/groups/dx-study", &hanako)
            .await
            .text()
            .contains("参加する")
    );
}
