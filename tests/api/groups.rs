//! The groups API pl-fe speaks (`/api/v1/groups…`): creating and editing groups, joining and
//! leaving, approval, kicks, bans, roles, posting into a group and its timeline, moderators'
//! deletions, deleting a group; the Group and GroupRelationship entities as goldens; and a
//! member on another instance joining through the API there, approved through the API here.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use kakehashi::db::store;
use kakehashi::domain::oauth::register_application;
use kakehashi::domain::oauth::{NewApplication, OOB_REDIRECT_URI, create_token};
use kakehashi::domain::scopes::Scopes;
use kakehashi::state::AppState;
use serde_json::{Value, json};
use tower::ServiceExt;

use super::golden::assert_golden;
use super::{get, ids, links, member, post_empty, post_json, send};
use crate::support::TestApp;
use crate::support::network::{Network, PATIENCE, eventually};

async fn create_group(app: &TestApp, token: &str, body: Value) -> Value {
    let response = post_json(app, "/api/v1/groups", token, &body).await;
    response.assert_status(StatusCode::OK);
    response.json()
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn groups_are_created_shown_edited_and_joined_with_rebased_shapes() {
    let app = TestApp::new().await;
    let chief = member(&app, "chief", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let reader = member(&app, "reader", "read").await;

    // A token without `write` may not create groups.
    let refused = post_json(&app, "/api/v1/groups", &reader.token, &json!({"slug": "x"})).await;
    refused.assert_status(StatusCode::FORBIDDEN);
    let missing = post_json(&app, "/api/v1/groups", &chief.token, &json!({"note": "x"})).await;
    missing.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.json()["error"].as_str().is_some());

    let group = create_group(
        &app,
        &chief.token,
        json!({
            "slug": "dx-study",
            "display_name": "DX研究会",
            "note": "自治体DXの実践コミュニティ",
            "rules": "互いに敬意を持って",
            "topics": ["DX", "電子申請"],
        }),
    )
    .await;
    assert_golden("group", &group);
    assert_eq!(group["relationship"]["owner"], true);
    assert_eq!(group["relationship"]["role"], "owner");
    assert_eq!(group["owner"]["id"], chief.user.account.id.to_string());
    assert_eq!(group["members_count"], 1);
    let gid = id_of(&group);

    // The handle is taken, by the group or by a member.
    for slug in ["dx-study", "taro"] {
        let taken = post_json(&app, "/api/v1/groups", &chief.token, &json!({"slug": slug})).await;
        taken.assert_status(StatusCode::CONFLICT);
        assert!(
            taken.json()["error"]
                .as_str()
                .is_some_and(|e| e.contains(slug))
        );
    }
    // The same account as Mastodon apps see it.
    let account = get(&app, &format!("/api/v1/accounts/{gid}"), &taro.token).await;
    assert_eq!(account.json()["group"], true);

    // Unknown groups and accounts that are not groups are 404 with a JSON error.
    for id in ["1", "abc", &taro.user.account.id.to_string()] {
        let unknown = get(&app, &format!("/api/v1/groups/{id}"), &taro.token).await;
        unknown.assert_status(StatusCode::NOT_FOUND);
        assert!(unknown.json()["error"].as_str().is_some());
    }

    let joined = post_empty(&app, &format!("/api/v1/groups/{gid}/join"), &taro.token).await;
    joined.assert_status(StatusCode::OK);
    let joined = joined.json();
    assert_golden("group_relationship", &joined);
    assert_eq!(joined["member"], true);
    assert_eq!(joined["role"], "user");

    let mine = get(&app, "/api/v1/groups", &taro.token).await.json();
    assert_eq!(ids(&mine), vec![gid.clone()]);
    let shown = get(&app, &format!("/api/v1/groups/{gid}"), &taro.token)
        .await
        .json();
    assert_eq!(shown["members_count"], 2);
    assert_eq!(shown["relationship"]["member"], true);
    let anonymous = app.get(&format!("/api/v1/groups/{gid}")).await;
    anonymous.assert_status(StatusCode::OK);
    assert!(anonymous.json()["relationship"].is_null());

    let relationships = get(
        &app,
        &format!("/api/v1/groups/relationships?id[]={gid}&id[]=1"),
        &chief.token,
    )
    .await
    .json();
    assert_eq!(ids(&relationships), vec![gid.clone()]);
    assert_eq!(relationships[0]["owner"], true);
    assert_eq!(relationships[0]["moderator"], true);

    // Members with roles; `role` filters.
    let members = get(
        &app,
        &format!("/api/v1/groups/{gid}/memberships"),
        &taro.token,
    )
    .await
    .json();
    let roles: Vec<(&str, &str)> = members
        .as_array()
        .expect("list")
        .iter()
        .map(|m| {
            (
                m["account"]["username"].as_str().expect("name"),
                m["role"].as_str().expect("role"),
            )
        })
        .collect();
    assert_eq!(roles, vec![("taro", "user"), ("chief", "owner")]);
    let owners = get(
        &app,
        &format!("/api/v1/groups/{gid}/memberships?role=owner"),
        &taro.token,
    )
    .await
    .json();
    assert_eq!(owners.as_array().map(Vec::len), Some(1));
    let bad_role = get(
        &app,
        &format!("/api/v1/groups/{gid}/memberships?role=emperor"),
        &taro.token,
    )
    .await;
    bad_role.assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    // Editing: moderators only; `locked` means approval.
    let path = format!("/api/v1/groups/{gid}");
    let by_member = send(
        &app,
        Method::PUT,
        &path,
        Some(&taro.token),
        Some("application/json"),
        json!({"display_name": "乗っ取り"}).to_string(),
    )
    .await;
    by_member.assert_status(StatusCode::FORBIDDEN);
    let edited = send(
        &app,
        Method::PUT,
        &path,
        Some(&chief.token),
        Some("application/json"),
        json!({"display_name": "DX研究会（全国）", "locked": true, "note": "新しい説明"})
            .to_string(),
    )
    .await;
    edited.assert_status(StatusCode::OK);
    let edited = edited.json();
    assert_eq!(edited["display_name"], "DX研究会（全国）");
    assert_eq!(edited["locked"], true);
    assert_eq!(edited["join_policy"], "approval");
    assert_eq!(edited["source"]["note"], "新しい説明");

    // The owner cannot leave; a member can.
    let owner_leaves = post_empty(&app, &format!("/api/v1/groups/{gid}/leave"), &chief.token).await;
    owner_leaves.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let left = post_empty(&app, &format!("/api/v1/groups/{gid}/leave"), &taro.token).await;
    left.assert_status(StatusCode::OK);
    assert_eq!(left.json()["member"], false);
    assert_eq!(
        get(&app, "/api/v1/groups", &taro.token).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn approval_kicks_bans_and_roles_are_for_moderators() {
    let app = TestApp::new().await;
    let chief = member(&app, "chief", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let jiro = member(&app, "jiro", "read write").await;
    let mallory = member(&app, "mallory", "read write").await;
    let group = create_group(
        &app,
        &chief.token,
        json!({"slug": "bousai", "display_name": "防災", "locked": true}),
    )
    .await;
    assert_eq!(group["locked"], true);
    let gid = id_of(&group);
    let (t, j, m) = (
        taro.user.account.id,
        jiro.user.account.id,
        mallory.user.account.id,
    );

    for who in [&taro, &jiro, &mallory] {
        let asked = post_empty(&app, &format!("/api/v1/groups/{gid}/join"), &who.token).await;
        asked.assert_status(StatusCode::OK);
        assert_eq!(asked.json()["requested"], true);
        assert_eq!(asked.json()["member"], false);
    }
    let requests_path = format!("/api/v1/groups/{gid}/membership_requests");
    get(&app, &requests_path, &taro.token)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let requests = get(&app, &requests_path, &chief.token).await;
    requests.assert_status(StatusCode::OK);
    assert_eq!(
        ids(&requests.json()),
        vec![m.to_string(), j.to_string(), t.to_string()]
    );

    // Only moderators decide; an account that did not ask is 404.
    let authorize = |id: i64| format!("/api/v1/groups/{gid}/membership_requests/{id}/authorize");
    post_empty(&app, &authorize(j), &taro.token)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    post_empty(&app, &authorize(chief.user.account.id), &chief.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    for id in [t, j] {
        post_empty(&app, &authorize(id), &chief.token)
            .await
            .assert_status(StatusCode::OK);
    }
    post_empty(
        &app,
        &format!("/api/v1/groups/{gid}/membership_requests/{m}/reject"),
        &chief.token,
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        get(&app, &requests_path, &chief.token).await.json(),
        json!([])
    );
    let relationship = get(
        &app,
        &format!("/api/v1/groups/relationships?id[]={gid}"),
        &taro.token,
    )
    .await
    .json();
    assert_eq!(relationship[0]["member"], true);

    // Roles: the owner promotes (pl-fe's `admin`), a moderator may then handle requests.
    let promote = format!("/api/v1/groups/{gid}/promote?role=admin&account_ids[]={t}");
    post_empty(&app, &promote, &taro.token)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let promoted = post_empty(&app, &promote, &chief.token).await;
    promoted.assert_status(StatusCode::OK);
    assert_eq!(promoted.json()[0]["role"], "admin");
    assert_eq!(promoted.json()[0]["account"]["username"], "taro");
    post_empty(
        &app,
        &format!("/api/v1/groups/{gid}/promote?role=owner&account_ids[]={j}"),
        &chief.token,
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let admins = get(
        &app,
        &format!("/api/v1/groups/{gid}/memberships?role=admin"),
        &jiro.token,
    )
    .await
    .json();
    assert_eq!(admins[0]["account"]["username"], "taro");
    get(&app, &requests_path, &taro.token)
        .await
        .assert_status(StatusCode::OK);

    // Kicks: a member is removed and may ask again; members cannot kick.
    let kick = format!("/api/v1/groups/{gid}/kick?account_ids[]={j}");
    post_empty(&app, &kick, &jiro.token)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    post_empty(&app, &kick, &taro.token)
        .await
        .assert_status(StatusCode::OK);
    let after_kick = get(
        &app,
        &format!("/api/v1/groups/relationships?id[]={gid}"),
        &jiro.token,
    )
    .await
    .json();
    assert_eq!(after_kick[0]["member"], false);
    // A moderator cannot kick the owner.
    post_empty(
        &app,
        &format!(
            "/api/v1/groups/{gid}/kick?account_ids[]={}",
            chief.user.account.id
        ),
        &taro.token,
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);

    // Bans: listed for moderators, joining is refused, lifting lets them ask again.
    let blocks = format!("/api/v1/groups/{gid}/blocks");
    post_empty(&app, &format!("{blocks}?account_ids[]={m}"), &jiro.token)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    post_empty(&app, &format!("{blocks}?account_ids[]={m}"), &chief.token)
        .await
        .assert_status(StatusCode::OK);
    let banned = get(&app, &blocks, &chief.token).await;
    banned.assert_status(StatusCode::OK);
    assert_eq!(ids(&banned.json()), vec![m.to_string()]);
    get(&app, &blocks, &mallory.token)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let rejoin = post_empty(&app, &format!("/api/v1/groups/{gid}/join"), &mallory.token).await;
    rejoin.assert_status(StatusCode::FORBIDDEN);
    assert!(
        rejoin.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("banned"))
    );
    let shown = get(&app, &format!("/api/v1/groups/{gid}"), &mallory.token)
        .await
        .json();
    assert_eq!(shown["relationship"]["blocked_by"], true);
    send(
        &app,
        Method::DELETE,
        &format!("{blocks}?account_ids[]={m}"),
        Some(&chief.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(get(&app, &blocks, &chief.token).await.json(), json!([]));
    post_empty(&app, &format!("/api/v1/groups/{gid}/join"), &mallory.token)
        .await
        .assert_status(StatusCode::OK);

    // Demoting makes taro a plain member again.
    let demoted = post_empty(
        &app,
        &format!("/api/v1/groups/{gid}/demote?role=user&account_ids[]={t}"),
        &chief.token,
    )
    .await;
    demoted.assert_status(StatusCode::OK);
    assert_eq!(demoted.json()[0]["role"], "user");
    get(&app, &requests_path, &taro.token)
        .await
        .assert_status(StatusCode::FORBIDDEN);

    // Invite-only: refused unless invited by a moderator.
    let closed = create_group(
        &app,
        &chief.token,
        json!({"slug": "yakuba", "join_policy": "invite"}),
    )
    .await;
    let cid = id_of(&closed);
    post_empty(&app, &format!("/api/v1/groups/{cid}/join"), &jiro.token)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    post_empty(
        &app,
        &format!("/api/v1/groups/{cid}/invite?account_ids[]={j}"),
        &jiro.token,
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    post_empty(
        &app,
        &format!("/api/v1/groups/{cid}/invite?account_ids[]={j}"),
        &chief.token,
    )
    .await
    .assert_status(StatusCode::OK);
    let invited = post_empty(&app, &format!("/api/v1/groups/{cid}/join"), &jiro.token).await;
    invited.assert_status(StatusCode::OK);
    assert_eq!(invited.json()["member"], true);

    // Missing account_ids is a 422.
    post_empty(&app, &format!("/api/v1/groups/{gid}/kick"), &chief.token)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn posts_go_into_the_group_its_timeline_pages_and_moderators_delete() {
    let app = TestApp::new().await;
    let chief = member(&app, "chief", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let outsider = member(&app, "outsider", "read write").await;
    let group = create_group(&app, &chief.token, json!({"slug": "kanko"})).await;
    let gid = id_of(&group);
    post_empty(&app, &format!("/api/v1/groups/{gid}/join"), &taro.token)
        .await
        .assert_status(StatusCode::OK);
    let statuses = format!("/api/v1/groups/{gid}/statuses");

    // Only members post into a group.
    let refused = post_json(
        &app,
        &statuses,
        &outsider.token,
        &json!({"status": "宣伝です"}),
    )
    .await;
    refused.assert_status(StatusCode::FORBIDDEN);
    assert!(
        refused.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("members"))
    );

    let mut posted = Vec::new();
    for n in 0..3 {
        let response = post_json(
            &app,
            &statuses,
            &taro.token,
            &json!({"status": format!("観光案内の事例 {n}")}),
        )
        .await;
        response.assert_status(StatusCode::OK);
        posted.push(id_of(&response.json()));
    }
    // The group boosts each post: its members see them in their home timeline, as Mastodon
    // apps show a boost by the group.
    let home = get(&app, "/api/v1/timelines/home", &chief.token)
        .await
        .json();
    let boosted: Vec<&str> = home
        .as_array()
        .expect("list")
        .iter()
        .filter(|s| s["account"]["id"] == gid.as_str())
        .filter_map(|s| s["reblog"]["id"].as_str())
        .collect();
    assert_eq!(boosted.len(), 3, "{home}");

    // The timeline, newest first, paged with Link.
    let page = get(&app, &format!("{statuses}?limit=2"), &outsider.token).await;
    page.assert_status(StatusCode::OK);
    assert_eq!(
        ids(&page.json()),
        vec![posted[2].clone(), posted[1].clone()]
    );
    let next = links(&page)["next"].clone();
    let rest = get(
        &app,
        next.trim_start_matches("http://kakehashi.test"),
        &outsider.token,
    )
    .await
    .json();
    assert_eq!(ids(&rest), vec![posted[0].clone()]);

    // Moderators delete; members cannot.
    let delete = |id: &str| format!("{statuses}/{id}");
    send(
        &app,
        Method::DELETE,
        &delete(&posted[0]),
        Some(&outsider.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    send(
        &app,
        Method::DELETE,
        &delete(&posted[0]),
        Some(&chief.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::OK);
    get(
        &app,
        &format!("/api/v1/statuses/{}", posted[0]),
        &taro.token,
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    let after = get(&app, &statuses, &taro.token).await.json();
    assert_eq!(ids(&after), vec![posted[2].clone(), posted[1].clone()]);

    // A members-only group keeps its timeline and member list from outsiders.
    let closed = create_group(
        &app,
        &chief.token,
        json!({"slug": "naibu", "privacy": "members_only"}),
    )
    .await;
    assert_eq!(closed["statuses_visibility"], "members_only");
    let cid = id_of(&closed);
    post_json(
        &app,
        &format!("/api/v1/groups/{cid}/statuses"),
        &chief.token,
        &json!({"status": "内部の連絡"}),
    )
    .await
    .assert_status(StatusCode::OK);
    for path in [
        format!("/api/v1/groups/{cid}/statuses"),
        format!("/api/v1/groups/{cid}/memberships"),
    ] {
        get(&app, &path, &outsider.token)
            .await
            .assert_status(StatusCode::FORBIDDEN);
        let own = get(&app, &path, &chief.token).await;
        own.assert_status(StatusCode::OK);
        assert_eq!(own.json().as_array().map(Vec::len), Some(1));
    }

    // Deleting: the owner only; the group is gone afterwards.
    let group_path = format!("/api/v1/groups/{gid}");
    send(
        &app,
        Method::DELETE,
        &group_path,
        Some(&taro.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    send(
        &app,
        Method::DELETE,
        &group_path,
        Some(&chief.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::OK);
    get(&app, &group_path, &taro.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        get(&app, "/api/v1/groups", &taro.token).await.json(),
        json!([])
    );
    post_json(
        &app,
        &statuses,
        &taro.token,
        &json!({"status": "まだありますか"}),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
}

/// A token on one instance of a network.
async fn token_on(state: &AppState, account_id: i64) -> String {
    let registered = register_application(
        &state.db,
        NewApplication {
            name: "pl-fe".to_owned(),
            website: None,
            redirect_uris: vec![OOB_REDIRECT_URI.to_owned()],
            scopes: "read write follow push".to_owned(),
        },
    )
    .await
    .expect("register app");
    create_token(
        &state.db,
        registered.app.id,
        Some(account_id),
        &Scopes::parse("read write").expect("scopes"),
    )
    .await
    .expect("token")
    .access_token
}

/// Calls the client API of one instance of a network.
async fn call(state: &AppState, method: Method, path: &str, token: &str) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let response = kakehashi::http::app(state.clone())
        .oneshot(request)
        .await
        .expect("the router never fails");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_elsewhere_joins_through_the_api_and_is_approved_through_the_api_here() {
    let net = Network::start(&["alpha", "beta"]).await;
    let (alpha, beta) = (net.get("alpha"), net.get("beta"));
    let chief = alpha.user("chief").await.account;
    let taro = beta.user("taro").await.account;
    let (chief_token, taro_token) = (
        token_on(alpha.state(), chief.id).await,
        token_on(beta.state(), taro.id).await,
    );
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/groups")
        .header(header::AUTHORIZATION, format!("Bearer {chief_token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"slug": "gis", "display_name": "GIS勉強会", "locked": true}).to_string(),
        ))
        .expect("request");
    let created = kakehashi::http::app(alpha.state().clone())
        .oneshot(request)
        .await
        .expect("response");
    assert_eq!(created.status(), StatusCode::OK);
    let group: Value = serde_json::from_slice(
        &created
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes(),
    )
    .expect("json");
    let gid = id_of(&group);

    // On beta the group is a remote account (found through WebFinger), shown by the groups API.
    let remote = beta.remote("gis", alpha).await;
    let (status, shown) = call(
        beta.state(),
        Method::GET,
        &format!("/api/v1/groups/{}", remote.id),
        &taro_token,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert_eq!(shown["acct"], format!("gis@{}", alpha.domain));
    assert_eq!(shown["locked"], true);
    assert_eq!(shown["domain"], alpha.domain);

    let (status, joined) = call(
        beta.state(),
        Method::POST,
        &format!("/api/v1/groups/{}/join", remote.id),
        &taro_token,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    assert_eq!(joined["requested"], true);

    // Alpha holds the request for a moderator, who approves it through the API.
    let requests_path = format!("/api/v1/groups/{gid}/membership_requests");
    let taro_on_alpha = eventually("the join request reached alpha", PATIENCE, || async {
        let (_, requests) = call(alpha.state(), Method::GET, &requests_path, &chief_token).await;
        requests
            .as_array()
            .and_then(|r| r.first())
            .and_then(|a| a["id"].as_str())
            .map(str::to_owned)
    })
    .await;
    let (status, _) = call(
        alpha.state(),
        Method::POST,
        &format!("{requests_path}/{taro_on_alpha}/authorize"),
        &chief_token,
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Beta learns of the Accept: taro is a member there too.
    let relationships = format!("/api/v1/groups/relationships?id[]={}", remote.id);
    eventually("beta took the Accept", PATIENCE, || async {
        let (_, rel) = call(beta.state(), Method::GET, &relationships, &taro_token).await;
        (rel[0]["member"] == true).then_some(())
    })
    .await;

    // Taro posts into the group through the API on beta; the group takes it on alpha.
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/groups/{}/statuses", remote.id))
        .header(header::AUTHORIZATION, format!("Bearer {taro_token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"status": "地番図のAPI移行はどこまで進みましたか"}).to_string(),
        ))
        .expect("request");
    let posted = kakehashi::http::app(beta.state().clone())
        .oneshot(request)
        .await
        .expect("response");
    assert_eq!(posted.status(), StatusCode::OK);
    let timeline = format!("/api/v1/groups/{gid}/statuses");
    let taken = eventually("alpha's group took the post", PATIENCE, || async {
        let (_, list) = call(alpha.state(), Method::GET, &timeline, &chief_token).await;
        list.as_array()
            .and_then(|l| l.first())
            .filter(|s| s["account"]["acct"] == format!("taro@{}", beta.domain))
            .cloned()
    })
    .await;
    assert!(
        taken["content"]
            .as_str()
            .is_some_and(|c| c.contains("地番図"))
    );

    // The owner deletes the group; beta is told (Delete of the actor) and forgets it.
    let (status, _) = call(
        alpha.state(),
        Method::DELETE,
        &format!("/api/v1/groups/{gid}"),
        &chief_token,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let remote_id = remote.id;
    eventually("beta forgot the deleted group", PATIENCE, || async {
        let gone = beta
            .state()
            .db
            .run(move |conn| Ok(store::accounts::find_by_id(conn, remote_id)?.is_none()))
            .await
            .expect("query");
        gone.then_some(())
    })
    .await;
}
