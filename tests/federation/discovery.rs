//! WebFinger, host-meta and NodeInfo, with the content types other software expects.

use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn webfinger_finds_members_and_the_instance_actor() {
    let app = TestApp::new().await;
    app.create_user("hanako").await;

    let found = app
        .get("/.well-known/webfinger?resource=acct:hanako@kakehashi.test")
        .await;
    found.assert_status(StatusCode::OK);
    assert_eq!(
        found.header("content-type"),
        Some("application/jrd+json; charset=utf-8")
    );
    let jrd = found.json();
    assert_eq!(jrd["subject"], "acct:hanako@kakehashi.test");
    let links = jrd["links"].as_array().expect("links");
    assert!(links.iter().any(|l| l["rel"] == "self"
        && l["type"] == "application/activity+json"
        && l["href"] == "http://kakehashi.test/users/hanako"));
    assert!(
        links
            .iter()
            .any(|l| l["rel"] == "http://webfinger.net/rel/profile-page"
                && l["href"] == "http://kakehashi.test/@hanako")
    );

    // Case, a leading @, and the actor URL as the resource all work.
    for resource in [
        "acct:HANAKO@kakehashi.test",
        "@hanako@kakehashi.test",
        "http://kakehashi.test/users/hanako",
        "http://kakehashi.test/@hanako",
    ] {
        let response = app
            .get(&format!(
                "/.well-known/webfinger?resource={}",
                urlencode(resource)
            ))
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{resource}: {}",
            response.text()
        );
        assert_eq!(response.json()["subject"], "acct:hanako@kakehashi.test");
    }

    let actor = app
        .get("/.well-known/webfinger?resource=acct:kakehashi.test@kakehashi.test")
        .await;
    actor.assert_status(StatusCode::OK);
    assert!(
        actor.json()["links"]
            .as_array()
            .expect("links")
            .iter()
            .any(|l| l["href"] == "http://kakehashi.test/actor")
    );

    app.get("/.well-known/webfinger?resource=acct:nobody@kakehashi.test")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.get("/.well-known/webfinger?resource=acct:hanako@elsewhere.example")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let missing = app.get("/.well-known/webfinger").await;
    missing.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(missing.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn host_meta_points_at_webfinger() {
    let app = TestApp::new().await;
    let xrd = app.get("/.well-known/host-meta").await;
    xrd.assert_status(StatusCode::OK);
    assert_eq!(
        xrd.header("content-type"),
        Some("application/xrd+xml; charset=utf-8")
    );
    assert!(xrd.text().contains(r#"<Link rel="lrdd" template="http://kakehashi.test/.well-known/webfinger?resource={uri}"/>"#), "{}", xrd.text());
    let json = app.get("/.well-known/host-meta.json").await;
    assert_eq!(
        json.json()["links"][0]["template"],
        "http://kakehashi.test/.well-known/webfinger?resource={uri}"
    );
}

#[tokio::test]
async fn nodeinfo_describes_the_instance() {
    let app = TestApp::with_config(|c| {
        c.organisation.local_government_code = Some("131016".to_owned());
        c.instance.name.ja = "千代田コミュニティ".to_owned();
    })
    .await;
    app.create_user("hanako").await;
    let links = app.get("/.well-known/nodeinfo").await.json();
    let hrefs: Vec<&str> = links["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter_map(|l| l["href"].as_str())
        .collect();
    assert!(hrefs.contains(&"http://kakehashi.test/nodeinfo/2.0"));
    assert!(hrefs.contains(&"http://kakehashi.test/nodeinfo/2.1"));
    assert!(
        hrefs.contains(&"http://kakehashi.test/actor"),
        "FEP-2677 application actor"
    );

    for version in ["2.0", "2.1"] {
        let response = app.get(&format!("/nodeinfo/{version}")).await;
        response.assert_status(StatusCode::OK);
        assert_eq!(
            response.header("content-type").map(str::to_owned),
            Some(format!(
                "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/{version}#\""
            ))
        );
        let doc = response.json();
        assert_eq!(doc["version"], version);
        assert_eq!(doc["software"]["name"], "kakehashi");
        assert_eq!(doc["protocols"][0], "activitypub");
        assert_eq!(doc["usage"]["users"]["total"], 1);
        assert_eq!(doc["openRegistrations"], false);
        assert_eq!(doc["metadata"]["nodeName"], "千代田コミュニティ");
        assert_eq!(
            doc["metadata"]["organisation"]["localGovernmentCode"],
            "131016"
        );
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
