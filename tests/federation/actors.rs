//! Our actors, objects and collections as other servers and browsers fetch them.

use axum::http::StatusCode;
use kakehashi::domain::statuses::{self, NewPost};
use kakehashi::domain::visibility::Visibility;

use crate::support::TestApp;

const AS: &str = "application/activity+json";
const LD: &str = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

#[tokio::test]
async fn the_actor_url_answers_json_to_servers_and_html_to_browsers() {
    let app = TestApp::new().await;
    let hanako = app.create_user("hanako").await.account;
    let id = hanako.id;
    app.state
        .db
        .run(move |conn| {
            use diesel::prelude::*;
            use kakehashi::db::schema::accounts;
            diesel::update(accounts::table.find(id))
                .set((
                    accounts::locked.eq(true),
                    accounts::fields.eq(r#"[{"name":"所属","value":"みなと市 DX推進課"}]"#),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await
        .expect("profile");

    for accept in [AS, LD, "application/activity+json, text/html;q=0.1"] {
        let response = app.get_with("/users/hanako", &[("accept", accept)]).await;
        response.assert_status(StatusCode::OK);
        assert_eq!(
            response.header("content-type"),
            Some("application/activity+json; charset=utf-8"),
            "{accept}"
        );
        let actor = response.json();
        assert_eq!(actor["type"], "Person");
        assert_eq!(actor["id"], "http://kakehashi.test/users/hanako");
        assert_eq!(actor["preferredUsername"], "hanako");
        for field in ["inbox", "outbox", "followers", "following", "featured"] {
            assert!(
                actor[field]
                    .as_str()
                    .is_some_and(|v| v.starts_with("http://kakehashi.test/users/hanako")),
                "{field}"
            );
        }
        assert_eq!(
            actor["endpoints"]["sharedInbox"],
            "http://kakehashi.test/inbox"
        );
        assert_eq!(
            actor["publicKey"]["id"],
            "http://kakehashi.test/users/hanako#main-key"
        );
        assert_eq!(
            actor["publicKey"]["owner"],
            "http://kakehashi.test/users/hanako"
        );
        assert!(
            actor["publicKey"]["publicKeyPem"]
                .as_str()
                .is_some_and(|k| k.contains("BEGIN PUBLIC KEY"))
        );
        assert_eq!(actor["manuallyApprovesFollowers"], true);
        assert_eq!(actor["discoverable"], true);
        assert_eq!(actor["attachment"][0]["type"], "PropertyValue");
        assert_eq!(actor["attachment"][0]["name"], "所属");
        let context = actor["@context"].as_array().expect("context");
        let urls: Vec<&str> = context.iter().filter_map(|c| c.as_str()).collect();
        assert_eq!(
            urls,
            vec![
                "https://www.w3.org/ns/activitystreams",
                "https://w3id.org/security/v1"
            ]
        );
    }
    let page = app
        .get_with(
            "/users/hanako",
            &[("accept", "text/html,application/xhtml+xml")],
        )
        .await;
    page.assert_status(StatusCode::OK);
    assert!(
        page.header("content-type")
            .is_some_and(|c| c.starts_with("text/html"))
    );
    assert!(page.text().contains("@hanako@kakehashi.test"));

    let instance = app.get_with("/actor", &[("accept", AS)]).await.json();
    assert_eq!(instance["type"], "Application");
    assert_eq!(instance["preferredUsername"], "kakehashi.test");
}

#[tokio::test]
async fn statuses_and_collections_are_served_with_paging() {
    let app = TestApp::new().await;
    let hanako = app.create_user("hanako").await.account;
    let mut posts = Vec::new();
    for i in 0..25 {
        posts.push(
            statuses::post(
                &app.state,
                hanako.id,
                NewPost {
                    text: format!("投稿 {i} #テスト"),
                    visibility: Some(Visibility::Public),
                    ..NewPost::default()
                },
            )
            .await
            .expect("post"),
        );
    }
    let private = statuses::post(
        &app.state,
        hanako.id,
        NewPost {
            text: "followers only".into(),
            visibility: Some(Visibility::Private),
            ..NewPost::default()
        },
    )
    .await
    .expect("post");

    let note = app
        .get_with(
            &format!("/users/hanako/statuses/{}", posts[0].id),
            &[("accept", AS)],
        )
        .await
        .json();
    assert_eq!(note["type"], "Note");
    assert_eq!(note["attributedTo"], "http://kakehashi.test/users/hanako");
    assert_eq!(
        note["to"][0],
        "https://www.w3.org/ns/activitystreams#Public"
    );
    assert_eq!(
        note["cc"][0],
        "http://kakehashi.test/users/hanako/followers"
    );
    assert!(
        note["tag"]
            .as_array()
            .expect("tags")
            .iter()
            .any(|t| t["type"] == "Hashtag" && t["name"] == "#テスト")
    );
    let create = app
        .get_with(
            &format!("/users/hanako/statuses/{}/activity", posts[0].id),
            &[("accept", AS)],
        )
        .await
        .json();
    assert_eq!(create["type"], "Create");
    assert_eq!(create["object"]["id"], note["id"]);
    app.get_with(
        &format!("/users/hanako/statuses/{}", private.id),
        &[("accept", AS)],
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);

    let outbox = app
        .get_with("/users/hanako/outbox", &[("accept", AS)])
        .await
        .json();
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(
        outbox["totalItems"], 25,
        "the followers-only post is not public"
    );
    let first = outbox["first"]
        .as_str()
        .expect("first page")
        .replace("http://kakehashi.test", "");
    let page = app.get_with(&first, &[("accept", AS)]).await.json();
    assert_eq!(page["type"], "OrderedCollectionPage");
    assert_eq!(page["orderedItems"].as_array().expect("items").len(), 20);
    assert_eq!(
        page["orderedItems"][0]["object"]["id"],
        posts[24].ap_id.as_str()
    );
    let next = page["next"]
        .as_str()
        .expect("next")
        .replace("http://kakehashi.test", "");
    let rest = app.get_with(&next, &[("accept", AS)]).await.json();
    assert_eq!(rest["orderedItems"].as_array().expect("items").len(), 5);
    assert!(rest.get("next").is_none());

    let followers = app
        .get_with("/users/hanako/followers", &[("accept", AS)])
        .await
        .json();
    assert_eq!(followers["totalItems"], 0);
    app.get_with("/users/nobody/outbox", &[("accept", AS)])
        .await
        .assert_status(StatusCode::NOT_FOUND);
}
