//! The event directory over 100,000 known events in SQLite: latency of filtered queries (free
//! text + prefecture + date range, and others), p50/p99/max. Run with
//! `cargo bench --bench directory`; figures go in docs/PERFORMANCE.md. `BENCH_EVENTS` changes the
//! number of events, `BENCH_DATABASE_URL` (a `postgres://` URL of an empty database) the backend.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a benchmark stops with the reason when its set-up fails"
)]

use std::time::{Duration, Instant};

use chrono::{Duration as Days, Utc};
use kakehashi::db::models::{EventRow, NewStatus};
use kakehashi::db::{Db, ids, store};
use kakehashi::domain::accounts::{self, NewLocalUser, Role};
use kakehashi::domain::directory::{self, DirectoryParams};
use kakehashi::domain::urls::Urls;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const WORDS: &[&str] = &[
    "防災",
    "訓練",
    "セミナー",
    "DX",
    "推進",
    "勉強会",
    "子育て",
    "支援",
    "福祉",
    "窓口",
    "オンライン",
    "申請",
    "データ",
    "活用",
    "地域",
    "交流",
    "観光",
    "会議",
    "研修",
    "GIS",
    "マイナンバー",
    "窓口改革",
    "庁内",
    "BPR",
    "生成AI",
    "公共交通",
    "移住",
    "定住",
    "農業",
    "ワークショップ",
    "事例",
    "共有",
    "入門",
    "実践",
    "防犯",
    "環境",
    "ごみ",
    "減量",
    "健康",
    "検診",
];
const QUERIES: usize = 300;

fn text(rng: &mut StdRng, words: usize) -> String {
    (0..words)
        .map(|_| WORDS[rng.gen_range(0..WORDS.len())])
        .collect::<Vec<_>>()
        .join("")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

async fn measure(db: &Db, label: &str, mut params: impl FnMut(usize) -> DirectoryParams) {
    let mut times = Vec::with_capacity(QUERIES);
    let mut found = 0;
    for i in 0..QUERIES {
        let p = params(i);
        let started = Instant::now();
        let rows = directory::search(db, p, "bench.test".to_owned())
            .await
            .expect("query");
        times.push(started.elapsed());
        found += rows.len();
    }
    times.sort();
    println!(
        "{label:<44} p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  ({:.1} results/query)",
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
        times.last().unwrap().as_secs_f64() * 1000.0,
        found as f64 / QUERIES as f64
    );
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::var("BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/directory.sqlite3", dir.path().display()));
    let db = Db::connect(&url, 4).await.expect("connect");
    db.migrate().await.expect("migrate");
    let urls = Urls::new(url::Url::parse("http://bench.test").expect("url"));
    let organiser = accounts::create_local_user(
        &db,
        &urls,
        NewLocalUser {
            username: "organiser".into(),
            email: "organiser@bench.example".into(),
            password: "bench-password-long-enough-1".into(),
            display_name: None,
            role: Role::User,
            locale: "ja".into(),
        },
    )
    .await
    .expect("user")
    .account;

    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(7);
    let now = Utc::now();
    let mut made = 0;
    while made < count {
        let batch: Vec<(String, String, i32, i64, bool)> = (0..1000.min(count - made))
            .map(|_| {
                (
                    text(&mut rng, 3),
                    text(&mut rng, 12),
                    rng.gen_range(1..=47),
                    rng.gen_range(-30 * 24..365 * 24),
                    rng.gen_bool(0.3),
                )
            })
            .collect();
        made += batch.len();
        let organiser_id = organiser.id;
        db.transaction(move |conn| {
            for (title, description, prefecture, hours, online) in batch {
                let id = ids::next_id();
                let created = now.naive_utc();
                let ap_id = format!("http://bench.test/events/{id}");
                store::statuses::insert(
                    conn,
                    &NewStatus {
                        id,
                        account_id: organiser_id,
                        ap_id: ap_id.clone(),
                        url: Some(ap_id.clone()),
                        local: true,
                        object_type: "Event".into(),
                        in_reply_to_id: None,
                        in_reply_to_account_id: None,
                        in_reply_to_ap_id: None,
                        reblog_of_id: None,
                        thread_ap_id: None,
                        title: Some(title.clone()),
                        content: title.clone(),
                        source_text: None,
                        spoiler_text: String::new(),
                        sensitive: false,
                        visibility: "public".into(),
                        language: None,
                        group_id: None,
                        created_at: created,
                        updated_at: created,
                    },
                )?;
                let starts = (now + Days::hours(hours)).naive_utc();
                store::events::insert(
                    conn,
                    &EventRow {
                        id,
                        ap_id,
                        local: true,
                        organiser_id,
                        group_id: None,
                        title: title.clone(),
                        description: description.clone(),
                        description_source: None,
                        starts_at: starts,
                        ends_at: Some(starts + Days::hours(2)),
                        timezone: "Asia/Tokyo".into(),
                        place_name: (!online).then(|| "市役所 会議室".to_owned()),
                        address: None,
                        prefecture: Some(prefecture),
                        latitude: None,
                        longitude: None,
                        online_url: online.then(|| "https://meet.example/x".to_owned()),
                        category: Some("LEARNING".into()),
                        banner_url: None,
                        event_status: "scheduled".into(),
                        capacity: None,
                        join_mode: "free".into(),
                        external_url: None,
                        visibility: "public".into(),
                        series_id: None,
                        participant_count: 0,
                        sequence: 0,
                        search_text: String::new(),
                        reminded_at: None,
                        created_at: created,
                        updated_at: created,
                    },
                )?;
                store::event_index::reindex(conn, id, &format!("{title} {description}"))?;
            }
            Ok(())
        })
        .await
        .expect("insert");
    }
    println!(
        "{count} events stored in {:.1} s ({url})",
        started.elapsed().as_secs_f64()
    );

    let mut rng = StdRng::seed_from_u64(11);
    let mut pick = move || {
        (
            WORDS[rng.gen_range(0..WORDS.len())].to_owned(),
            rng.gen_range(1..=47),
            rng.gen_range(0..300),
        )
    };
    let day = |offset: i64| {
        (Utc::now() + Days::days(offset))
            .format("%Y-%m-%d")
            .to_string()
    };
    let queries: Vec<(String, i32, i64)> = (0..QUERIES).map(|_| pick()).collect();

    let q = queries.clone();
    measure(&db, "text + prefecture + 60-day range", |i| {
        let (word, prefecture, from) = &q[i];
        DirectoryParams {
            q: Some(word.clone()),
            prefecture: Some(prefecture.to_string()),
            from: Some(day(*from)),
            to: Some(day(*from + 60)),
            ..DirectoryParams::default()
        }
    })
    .await;
    let q = queries.clone();
    measure(&db, "two words + prefecture + 60-day range", |i| {
        let (word, prefecture, from) = &q[i];
        let other = &q[(i + 1) % q.len()].0;
        DirectoryParams {
            q: Some(format!("{word} {other}")),
            prefecture: Some(prefecture.to_string()),
            from: Some(day(*from)),
            to: Some(day(*from + 60)),
            ..DirectoryParams::default()
        }
    })
    .await;
    let q = queries.clone();
    measure(&db, "text only (upcoming)", |i| DirectoryParams {
        q: Some(q[i].0.clone()),
        ..DirectoryParams::default()
    })
    .await;
    let q = queries.clone();
    measure(&db, "prefecture + online (upcoming)", |i| DirectoryParams {
        prefecture: Some(q[i].1.to_string()),
        online: Some("online".into()),
        ..DirectoryParams::default()
    })
    .await;
    measure(&db, "no filter (upcoming, first page)", |_| {
        DirectoryParams::default()
    })
    .await;
    let q = queries;
    measure(&db, "rare text (no match) + prefecture", |i| {
        DirectoryParams {
            q: Some(format!("{}存在しない語", q[i].0)),
            prefecture: Some(q[i].1.to_string()),
            ..DirectoryParams::default()
        }
    })
    .await;
}
