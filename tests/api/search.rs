//! Search: accounts, hashtags and statuses by text or URL, v2 and v1.

use axum::http::StatusCode;
use serde_json::json;

use super::{get, ids, member, post_status};
use crate::support::TestApp;

#[tokio::test]
async fn search_finds_accounts_hashtags_and_statuses() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let public = post_status(
        &app,
        &hanako.token,
        json!({"status": "避難所の開設訓練 #避難所"}),
    )
    .await;
    let private = post_status(
        &app,
        &hanako.token,
        json!({"status": "避難所の鍵", "visibility": "private"}),
    )
    .await;

    let found = get(
        &app,
        "/api/v2/search?q=%E9%81%BF%E9%9B%A3%E6%89%80",
        &taro.token,
    )
    .await;
    found.assert_status(StatusCode::OK);
    let found = found.json();
    assert_eq!(
        ids(&found["statuses"]),
        vec![public["id"].as_str().expect("id")]
    );
    assert_eq!(found["hashtags"][0]["name"], "避難所");
    assert_eq!(found["hashtags"][0]["history"], json!([]));
    // The author finds their own private status too.
    let own = get(
        &app,
        "/api/v2/search?q=%E9%81%BF%E9%9B%A3%E6%89%80&type=statuses",
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(
        ids(&own["statuses"]),
        vec![
            private["id"].as_str().expect("id"),
            public["id"].as_str().expect("id")
        ]
    );
    assert_eq!(own["accounts"], json!([]));

    let accounts = get(&app, "/api/v2/search?q=hana&type=accounts", &taro.token)
        .await
        .json();
    assert_eq!(
        ids(&accounts["accounts"]),
        vec![hanako.user.account.id.to_string()]
    );
    let by_url = get(
        &app,
        &format!(
            "/api/v2/search?q={}&resolve=true",
            public["url"]
                .as_str()
                .expect("url")
                .replace(':', "%3A")
                .replace('/', "%2F")
        ),
        &taro.token,
    )
    .await
    .json();
    assert_eq!(
        ids(&by_url["statuses"]),
        vec![public["id"].as_str().expect("id")]
    );
    let profile = get(
        &app,
        "/api/v2/search?q=http%3A%2F%2Fkakehashi.test%2F%40hanako",
        &taro.token,
    )
    .await
    .json();
    assert_eq!(
        ids(&profile["accounts"]),
        vec![hanako.user.account.id.to_string()]
    );
    let private_url = get(
        &app,
        &format!(
            "/api/v2/search?q={}",
            private["uri"]
                .as_str()
                .expect("uri")
                .replace(':', "%3A")
                .replace('/', "%2F")
        ),
        &taro.token,
    )
    .await
    .json();
    assert_eq!(private_url["statuses"], json!([]), "not visible to taro");

    // Anonymous: accounts and hashtags only; resolve and offset need a member.
    let anonymous = app
        .get("/api/v2/search?q=%E9%81%BF%E9%9B%A3%E6%89%80")
        .await;
    anonymous.assert_status(StatusCode::OK);
    assert_eq!(anonymous.json()["statuses"], json!([]));
    app.get("/api/v2/search?q=hana&resolve=true")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);

    let v1 = get(&app, "/api/v1/search?q=%23%E9%81%BF", &taro.token).await;
    v1.assert_status(StatusCode::OK);
    assert_eq!(v1.json()["hashtags"], json!(["避難所"]));
}
