//! Group pages with a signed-in member: join, leave, members, the moderators' queue.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kakehashi::domain::groups::{self, NewGroup};

use crate::support::TestApp;
use crate::support::app::PASSWORD;

/// Signs in through the form and returns the session cookie.
pub async fn sign_in(app: &TestApp, login: &str) -> String {
    let response = app
        .post_form(
            "/auth/sign_in",
            &[
                ("login", login),
                ("password", PASSWORD),
                ("next", "/groups"),
            ],
        )
        .await;
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
    let wrong = app
        .post_form(
            "/auth/sign_in",
            &[
                ("login", "hanako"),
                ("password", "nope-nope-nope"),
                ("next", "/"),
            ],
        )
        .await;
    wrong.assert_status(StatusCode::UNAUTHORIZED);
    assert!(wrong.header("set-cookie").is_none());
    let outside = app
        .post_form(
            "/auth/sign_in",
            &[
                ("login", "hanako"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(outside.header("location"), Some("/"));
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
    assert!(log.contains("approve"));

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
