//! Groups with other software, as its captured JSON shows it (../shared/fixtures/activitypub):
//! a Lemmy community followed from Kakehashi (our Follow goes out, its Accept is taken, its
//! `Announce(Create(Page))` and `Announce(Page)` land in the follower's home timeline once), and
//! a Kakehashi group followed by a Lemmy-style and a Mastodon-style actor, who then receive
//! everything a group sends (Accept, both announces, Block, Reject, Update, Announce(Delete),
//! Undo(Announce), Delete of the actor). The remote side is a small axum server on loopback serving the fixture
//! documents (hosts rewritten to it, keys replaced by ours) and recording what its inboxes get;
//! what it sends is HTTP-signed with its actors' keys.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use kakehashi::db::models::AccountRow;
use kakehashi::db::store::{self, Page};
use kakehashi::domain::{groups, keys, timelines};
use kakehashi_federation::signatures::{OutgoingRequest, SigningKey, sign_request};
use serde_json::{Value, json};
use url::Url;

use super::federation::{find, make_group, post};
use crate::support::network::{Instance, Network, PATIENCE, eventually};
use kakehashi::domain::visibility::Visibility;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/fixtures/activitypub"
);

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{path}"))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A fixture with its hosts replaced (`from` → `to`, both scheme and host) and parsed.
pub(crate) fn adapted(path: &str, hosts: &[(&str, &str)]) -> Value {
    let mut text = fixture(path);
    for (from, to) in hosts {
        text = text.replace(from, to);
    }
    serde_json::from_str(&text).expect("fixture JSON")
}

/// Documents the fake server serves by path, and what its inboxes received.
#[derive(Default)]
pub(crate) struct Remote {
    documents: Mutex<Vec<(String, Value)>>,
    received: Mutex<Vec<Value>>,
}

impl Remote {
    pub(crate) fn serve(&self, url: &str, document: Value) {
        let path = Url::parse(url).expect("url").path().to_owned();
        self.documents.lock().expect("lock").push((path, document));
    }

    pub(crate) fn received(&self) -> Vec<Value> {
        self.received.lock().expect("lock").clone()
    }
}

async fn handle(State(remote): State<Arc<Remote>>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if request.method() == Method::POST {
        let body = request
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        if let Ok(value) = serde_json::from_slice::<Value>(&body) {
            remote.received.lock().expect("lock").push(value);
        }
        return StatusCode::ACCEPTED.into_response();
    }
    let found = remote
        .documents
        .lock()
        .expect("lock")
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, d)| d.clone());
    match found {
        Some(document) => (
            [(header::CONTENT_TYPE, "application/activity+json")],
            document.to_string(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The fake server, on a loopback port, and the network with it resolvable under `hosts`.
pub(crate) struct World {
    net: Network,
    pub(crate) remote: Arc<Remote>,
    port: u16,
    http: reqwest::Client,
}

impl World {
    pub(crate) async fn start(hosts: &[&str]) -> World {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("address").port();
        let remote = Arc::new(Remote::default());
        let app = Router::new().fallback(handle).with_state(remote.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        let names: Vec<String> = hosts.iter().map(|h| (*h).to_owned()).collect();
        let net = Network::start_with(&["alpha"], |_, config| {
            for name in &names {
                config
                    .federation
                    .resolve
                    .insert(name.clone(), format!("127.0.0.1:{port}"));
                config.federation.allow_private_hosts.push(name.clone());
            }
        })
        .await;
        let alpha = net.get("alpha");
        let http = reqwest::Client::builder()
            .resolve(
                "alpha.test",
                std::net::SocketAddr::from(([127, 0, 0, 1], alpha.port)),
            )
            .build()
            .expect("client");
        World {
            net,
            remote,
            port,
            http,
        }
    }

    pub(crate) fn alpha(&self) -> &Instance {
        self.net.get("alpha")
    }

    pub(crate) fn base(&self, host: &str) -> String {
        format!("http://{host}:{}", self.port)
    }

    /// [`World::deliver_status`], which must be a success.
    pub(crate) async fn deliver(&self, activity: &Value, key: &SigningKey) -> u16 {
        let status = self.deliver_status(activity, key).await;
        assert!(
            (200..300).contains(&status),
            "alpha refused {}: {status}",
            activity["type"]
        );
        status
    }

    /// Signs `activity` with `key` and posts it to alpha's shared inbox; the answer's status.
    pub(crate) async fn deliver_status(&self, activity: &Value, key: &SigningKey) -> u16 {
        let url = Url::parse(&format!("{}/inbox", self.alpha().base_url())).expect("inbox");
        let body = serde_json::to_vec(activity).expect("json");
        let mut headers: HeaderMap = sign_request(
            &OutgoingRequest {
                method: &Method::POST,
                url: &url,
                body: Some(&body),
                content_type: Some("application/activity+json"),
            },
            key,
            SystemTime::now(),
        )
        .expect("sign");
        headers.insert(
            header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/activity+json"),
        );
        let mut request = self.http.post(url.as_str()).body(body);
        for (name, value) in &headers {
            request = request.header(name.as_str(), value.as_bytes());
        }
        let response = request.send().await.expect("send");
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            eprintln!(
                "alpha answered {} with {status}: {}",
                activity["type"],
                response.text().await.unwrap_or_default()
            );
        }
        status
    }

    /// Waits until an inbox of the fake server received an activity that `pick` accepts.
    pub(crate) async fn wait_for(&self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        eventually(what, PATIENCE, || async {
            self.remote.received().into_iter().find(|a| pick(a))
        })
        .await
    }
}

/// A fake actor: the fixture document with our key in it, and the key to sign as it.
pub(crate) fn actor_with_key(mut document: Value) -> (Value, SigningKey) {
    let pair = keys::generate().expect("keys");
    let id = document["id"].as_str().expect("id").to_owned();
    let key_id = format!("{id}#main-key");
    document["publicKey"] = json!({
        "id": key_id,
        "owner": id,
        "publicKeyPem": pair.public_pem,
    });
    let key = SigningKey::from_pem(Url::parse(&key_id).expect("key id"), &pair.private_pem)
        .expect("signing key");
    (document, key)
}

fn ids_of(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(ids_of).collect(),
        Value::Object(map) => map
            .get("id")
            .and_then(Value::as_str)
            .map(|s| vec![s.to_owned()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

pub(crate) async fn account_by_ap_id(instance: &Instance, ap_id: &str) -> Option<AccountRow> {
    let ap_id = ap_id.to_owned();
    instance
        .state()
        .db
        .run(move |conn| Ok(store::accounts::find_by_ap_id(conn, &ap_id)?))
        .await
        .expect("query")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lemmy_community_is_followed_and_its_posts_reach_the_home_timeline_once() {
    let world = World::start(&["lemmy.test"]).await;
    let alpha = world.alpha();
    let lemmy = world.base("lemmy.test");
    let hosts = [
        ("https://enterprise.lemmy.ml", lemmy.as_str()),
        ("http://enterprise.lemmy.ml", lemmy.as_str()),
        ("http://ds9.lemmy.ml", lemmy.as_str()),
    ];

    // The community (Lemmy's Group document) and a poster (Lemmy's Person).
    let mut community = adapted("lemmy/objects/group.json", &hosts);
    for field in ["icon", "image"] {
        community.as_object_mut().expect("object").remove(field);
    }
    let (community, community_key) = actor_with_key(community);
    let community_id = community["id"].as_str().expect("id").to_owned();
    world.remote.serve(&community_id, community.clone());
    let mut poster = adapted("lemmy/objects/person.json", &hosts);
    poster["id"] = json!(format!("{lemmy}/u/lemmy_beta"));
    poster["preferredUsername"] = json!("lemmy_beta");
    poster["inbox"] = json!(format!("{lemmy}/u/lemmy_beta/inbox"));
    poster["outbox"] = json!(format!("{lemmy}/u/lemmy_beta/outbox"));
    for field in ["icon", "image"] {
        poster.as_object_mut().expect("object").remove(field);
    }
    let (poster, _) = actor_with_key(poster);
    world
        .remote
        .serve(poster["id"].as_str().expect("id"), poster.clone());

    let hanako = alpha.user("hanako").await.account;
    let url = Url::parse(&community_id).expect("url");
    let stored = kakehashi::federation_glue::actors::fetch_actor(alpha.state(), &url, false)
        .await
        .expect("the community's Group document is read");
    assert_eq!(stored.actor_type, "Group");
    assert_eq!(stored.username, "tenforward");
    let group_id = stored.id;
    let group_row = alpha
        .state()
        .db
        .run(move |conn| Ok(store::groups::find(conn, group_id)?))
        .await
        .expect("query")
        .expect("a group row for the community");
    assert!(!group_row.local);
    assert_eq!(
        group_row.moderators_url.as_deref(),
        Some(format!("{community_id}/moderators").as_str())
    );

    // Joining sends a Follow, as Lemmy's own (actor, object = the community).
    kakehashi::domain::follows::follow(
        alpha.state(),
        hanako.id,
        group_id,
        kakehashi::domain::follows::FollowOptions::default(),
    )
    .await
    .expect("follow");
    let follow = world
        .wait_for("our Follow at the community", |a| {
            a["type"] == "Follow" && a["object"] == community_id.as_str()
        })
        .await;
    assert_eq!(follow["actor"], hanako.ap_id);

    // The community's Accept, shaped as Lemmy's, quoting our Follow.
    let mut accept = adapted("lemmy/activities/following/accept.json", &hosts);
    accept["actor"] = json!(community_id);
    accept["to"] = json!([hanako.ap_id]);
    accept["object"]["actor"] = json!(hanako.ap_id);
    accept["object"]["object"] = json!(community_id);
    accept["object"]["id"] = follow["id"].clone();
    accept["object"]["to"] = json!([community_id]);
    world.deliver(&accept, &community_key).await;
    let state = alpha.state().clone();
    eventually("the follow accepted", PATIENCE, || {
        let state = state.clone();
        async move {
            state
                .db
                .run(move |conn| Ok(store::relations::find_follow(conn, hanako.id, group_id)?))
                .await
                .ok()
                .flatten()
                .filter(|f| f.accepted())
        }
    })
    .await;

    // A post in the community: the Page is served by its author's server, the community
    // announces the Create (FEP-1b12) and then the Page itself (Lemmy's Mastodon compatibility).
    let mut page = adapted("lemmy/objects/page.json", &hosts);
    let page_id = format!("{lemmy}/post/7");
    page["id"] = json!(page_id);
    page["attributedTo"] = json!(poster["id"]);
    page["to"] = json!([community_id, "https://www.w3.org/ns/activitystreams#Public"]);
    page["audience"] = json!(community_id);
    page["tag"][1]["href"] = json!(community_id);
    page["context"] = json!(format!("{page_id}/context"));
    page.as_object_mut().expect("object").remove("image");
    page["attachment"] = json!([]);
    world.remote.serve(&page_id, page.clone());
    let mut announce = adapted(
        "lemmy/activities/community/announce_create_page.json",
        &hosts,
    );
    announce["actor"] = json!(community_id);
    announce["cc"] = json!([format!("{community_id}/followers")]);
    announce["object"]["actor"] = poster["id"].clone();
    announce["object"]["cc"] = json!([community_id]);
    announce["object"]["object"] = page.clone();
    world.deliver(&announce, &community_key).await;

    let status = eventually("the Page stored", PATIENCE, || find(alpha, &page_id)).await;
    assert_eq!(status.group_id, Some(group_id), "marked as the community's");
    assert_eq!(status.title.as_deref(), Some("Post title"));
    assert!(status.content.contains("tenforward community"));

    let page_announce = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Announce",
        "id": format!("{lemmy}/activities/announce/page-7"),
        "actor": community_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [format!("{community_id}/followers")],
        "object": page_id,
    });
    world.deliver(&page_announce, &community_key).await;
    let home = alpha
        .state()
        .db
        .run(move |conn| timelines::home(conn, hanako.id, &Page::first(40)))
        .await
        .expect("home");
    let boosts: Vec<_> = home
        .iter()
        .filter(|s| s.reblog_of_id == Some(status.id) && s.account_id == group_id)
        .collect();
    assert_eq!(boosts.len(), 1, "one boost by the community: {home:?}");

    // The groups API shows the community as a group.
    assert!(account_by_ap_id(alpha, &community_id).await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lemmy_and_mastodon_actors_follow_a_kakehashi_group_and_receive_its_announces() {
    let world = World::start(&["lemmy.test", "masto.test"]).await;
    let alpha = world.alpha();
    let (lemmy, masto) = (world.base("lemmy.test"), world.base("masto.test"));
    let chief = alpha.user("chief").await;
    let group = make_group(alpha, &chief, "dx-study", groups::OPEN, false).await;

    // A Lemmy user (Lemmy's Person) and a Mastodon user (Mastodon's Person, with its context).
    let lemmy_hosts = [
        ("https://enterprise.lemmy.ml", lemmy.as_str()),
        ("http://ds9.lemmy.ml", lemmy.as_str()),
        ("http://enterprise.lemmy.ml", lemmy.as_str()),
    ];
    let mut lemmy_person = adapted("lemmy/objects/person.json", &lemmy_hosts);
    for field in ["icon", "image"] {
        lemmy_person.as_object_mut().expect("object").remove(field);
    }
    let (lemmy_person, lemmy_key) = actor_with_key(lemmy_person);
    let lemmy_id = lemmy_person["id"].as_str().expect("id").to_owned();
    world.remote.serve(&lemmy_id, lemmy_person.clone());
    let masto_hosts = [
        ("https://masto.qa.urbanwildlife.biz", masto.as_str()),
        ("https://masto.asonix.dog", masto.as_str()),
    ];
    let mut masto_person = adapted("mastodon/objects/person.json", &masto_hosts);
    for field in ["icon", "image", "tag", "attachment"] {
        masto_person.as_object_mut().expect("object").remove(field);
    }
    let (masto_person, masto_key) = actor_with_key(masto_person);
    let masto_id = masto_person["id"].as_str().expect("id").to_owned();
    world.remote.serve(&masto_id, masto_person.clone());

    // Lemmy's Follow (with `to`), Mastodon's (with its context, without `to`).
    let mut lemmy_follow = adapted("lemmy/activities/following/follow.json", &lemmy_hosts);
    lemmy_follow["actor"] = json!(lemmy_id);
    lemmy_follow["to"] = json!([group.ap_id]);
    lemmy_follow["object"] = json!(group.ap_id);
    lemmy_follow["id"] = json!(format!("{lemmy}/activities/follow/6abcd50b"));
    let mut masto_follow = adapted("mastodon/activities/follow.json", &masto_hosts);
    masto_follow["actor"] = json!(masto_id);
    masto_follow["object"] = json!(group.ap_id);
    for (follow, key) in [(&lemmy_follow, &lemmy_key), (&masto_follow, &masto_key)] {
        world.deliver(follow, key).await;
        let follow_id = follow["id"].as_str().expect("id").to_owned();
        let accept = world
            .wait_for("the group's Accept", |a| {
                a["type"] == "Accept" && ids_of(&a["object"]).contains(&follow_id)
            })
            .await;
        assert_eq!(accept["actor"], group.ap_id);
        assert_eq!(accept["object"]["type"], "Follow");
        assert_eq!(accept["object"]["actor"], follow["actor"]);
    }
    let group_id = group.id;
    let members = alpha
        .state()
        .db
        .run(move |conn| Ok(store::groups::count_members(conn, group_id)?))
        .await
        .expect("count");
    assert_eq!(members, 3, "the owner and both followers");

    // A member's post: both servers get the FEP-1b12 Announce(Create) and the plain Announce.
    let text = format!("@dx-study@{} 電子申請の導入事例", alpha.domain);
    let status = post(alpha, chief.account.id, &text, Visibility::Public)
        .await
        .expect("post");
    let relayed = world
        .wait_for("Announce(Create) from the group", |a| {
            a["type"] == "Announce"
                && a["object"]["type"] == "Create"
                && a["object"]["object"]["id"] == status.ap_id.as_str()
        })
        .await;
    assert_eq!(relayed["actor"], group.ap_id);
    assert_eq!(relayed["audience"], group.ap_id);
    assert_eq!(relayed["object"]["object"]["audience"], group.ap_id);
    let boost = world
        .wait_for("the plain Announce from the group", |a| {
            a["type"] == "Announce" && a["object"] == status.ap_id.as_str()
        })
        .await;
    assert_eq!(boost["actor"], group.ap_id);

    // Mastodon's Undo(Follow) ends the membership.
    let mut undo = adapted("mastodon/activities/undo_follow.json", &masto_hosts);
    undo["actor"] = json!(masto_id);
    undo["object"] = masto_follow.clone();
    undo["object"]
        .as_object_mut()
        .expect("object")
        .remove("@context");
    world.deliver(&undo, &masto_key).await;
    let masto_account = account_by_ap_id(alpha, &masto_id).await.expect("stored");
    let state = alpha.state().clone();
    eventually("the Mastodon follower left", PATIENCE, || {
        let state = state.clone();
        async move {
            let left = state
                .db
                .run(move |conn| {
                    Ok(store::relations::find_follow(conn, masto_account.id, group_id)?.is_none())
                })
                .await
                .ok()?;
            left.then_some(())
        }
    })
    .await;

    // Mastodon's actor joins again, and is banned: its server gets the group's Block, and a
    // further Follow is answered Reject.
    let mut again = masto_follow.clone();
    again["id"] = json!(format!("{masto}/follows/again"));
    world.deliver(&again, &masto_key).await;
    world
        .wait_for("the Accept of the second Follow", |a| {
            a["type"] == "Accept"
                && ids_of(&a["object"]).contains(&format!("{masto}/follows/again"))
        })
        .await;
    groups::ban(
        alpha.state(),
        chief.account.id,
        group_id,
        masto_account.id,
        "spam",
    )
    .await
    .expect("ban");
    let block = world
        .wait_for("the group's Block", |a| {
            a["type"] == "Block" && a["object"] == masto_id.as_str()
        })
        .await;
    assert_eq!(block["actor"], group.ap_id);
    let mut third = masto_follow.clone();
    third["id"] = json!(format!("{masto}/follows/third"));
    world.deliver(&third, &masto_key).await;
    let reject = world
        .wait_for("the group's Reject", |a| {
            a["type"] == "Reject"
                && ids_of(&a["object"]).contains(&format!("{masto}/follows/third"))
        })
        .await;
    assert_eq!(reject["actor"], group.ap_id);

    // The group's settings change: Update of the Group actor to the members' servers.
    groups::update(
        alpha.state(),
        chief.account.id,
        group_id,
        groups::GroupChanges {
            display_name: Some("DX研究会（全国）".to_owned()),
            ..groups::GroupChanges::default()
        },
    )
    .await
    .expect("update");
    let update = world
        .wait_for("Update of the group", |a| {
            a["type"] == "Update" && a["object"]["type"] == "Group"
        })
        .await;
    assert_eq!(update["object"]["name"], "DX研究会（全国）");

    // Mastodon's report (Flag, objects as a list) about the post goes to the group's moderators.
    let mut flag: Value =
        serde_json::from_str(&fixture("mastodon/activities/flag.json")).expect("fixture JSON");
    flag["id"] = json!(format!("{lemmy}/reports/1"));
    flag["actor"] = json!(lemmy_id);
    flag["object"] = json!([chief.account.ap_id, status.ap_id]);
    flag["to"] = json!(group.ap_id);
    world.deliver(&flag, &lemmy_key).await;
    let state = alpha.state().clone();
    let report = eventually("the report in the group's queue", PATIENCE, || {
        let state = state.clone();
        async move {
            state
                .db
                .run(move |conn| Ok(store::groups::open_reports(conn, group_id)?))
                .await
                .ok()?
                .pop()
        }
    })
    .await;
    assert_eq!(report.status_id, Some(status.id));
    assert_eq!(
        report.comment,
        "Please take a look at this user and their posts"
    );

    // A moderator removes the post: the group announces the Delete and undoes its boost.
    groups::delete_post(alpha.state(), chief.account.id, group_id, status.id, "")
        .await
        .expect("delete post");
    let deletion = world
        .wait_for("Announce(Delete) from the group", |a| {
            a["type"] == "Announce"
                && a["object"]["type"] == "Delete"
                && a["object"]["object"] == status.ap_id.as_str()
        })
        .await;
    assert_eq!(deletion["actor"], group.ap_id);
    assert_eq!(deletion["object"]["actor"], chief.account.ap_id);
    world
        .wait_for("Undo(Announce) from the group", |a| {
            a["type"] == "Undo"
                && a["object"]["type"] == "Announce"
                && a["actor"] == group.ap_id.as_str()
        })
        .await;

    // The owner deletes the group: Delete of the actor to the servers that had members.
    kakehashi::domain::group_members::delete_group(alpha.state(), chief.account.id, group_id)
        .await
        .expect("delete group");
    let gone = world
        .wait_for("Delete of the group actor", |a| {
            a["type"] == "Delete" && a["object"] == group.ap_id.as_str()
        })
        .await;
    assert_eq!(gone["actor"], group.ap_id);
}
