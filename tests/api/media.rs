//! Media: asynchronous and synchronous uploads, processing (metadata stripped, sizes, previews),
//! updates, ownership, refusals, and how the files are served.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use serde_json::{Value, json};

use super::golden::assert_golden;
use super::{get, member, multipart, send};
use crate::support::TestApp;
use crate::support::app::TestResponse;

/// A PNG with a gradient.
pub fn png_bytes(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            90,
        ])
    });
    let mut out = Vec::new();
    image
        .write_with_encoder(PngEncoder::new(&mut out))
        .expect("png");
    out
}

const SECRET: &str = "GPS 35.6581N 139.7414E home of the photographer";

/// A JPEG carrying an EXIF block (APP1) whose ImageDescription holds `SECRET`.
fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 200])
    });
    let mut jpeg = Vec::new();
    image
        .write_with_encoder(JpegEncoder::new_with_quality(&mut jpeg, 90))
        .expect("jpeg");
    let text = format!("{SECRET}\0");
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&0x010Eu16.to_le_bytes()); // ImageDescription
    tiff.extend_from_slice(&2u16.to_le_bytes()); // ASCII
    tiff.extend_from_slice(&(text.len() as u32).to_le_bytes());
    tiff.extend_from_slice(&26u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(text.as_bytes());
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend(payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG with a tEXt chunk and an eXIf chunk holding `SECRET`, and some transparency.
fn png_with_metadata() -> Vec<u8> {
    let image = image::RgbaImage::from_fn(64, 48, |x, _| {
        image::Rgba([10, 120, 200, if x < 32 { 255 } else { 100 }])
    });
    let mut png = Vec::new();
    image
        .write_with_encoder(PngEncoder::new(&mut png))
        .expect("png");
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        c.extend_from_slice(&body);
        c.extend_from_slice(&crc32(&body).to_be_bytes());
        c
    };
    let mut out = png[..33].to_vec(); // signature + IHDR
    out.extend(chunk(b"tEXt", format!("Comment\0{SECRET}").as_bytes()));
    out.extend(chunk(b"eXIf", format!("II*\0{SECRET}").as_bytes()));
    out.extend_from_slice(&png[33..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn upload(
    app: &TestApp,
    path: &str,
    token: &str,
    fields: &[(&str, &str)],
    name: &str,
    bytes: &[u8],
) -> TestResponse {
    let (content_type, body) =
        multipart(fields, &[("file", name, "application/octet-stream", bytes)]);
    send(
        app,
        Method::POST,
        path,
        Some(token),
        Some(&content_type),
        body,
    )
    .await
}

/// Polls `GET /api/v1/media/{id}` as masto.js does until it answers 200.
async fn wait_ready(app: &TestApp, token: &str, id: &str) -> Value {
    for _ in 0..200 {
        let response = get(app, &format!("/api/v1/media/{id}"), token).await;
        match response.status {
            StatusCode::OK => return response.json(),
            StatusCode::PARTIAL_CONTENT => {
                assert_eq!(response.json()["url"], Value::Null);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => panic!("unexpected {other}: {}", response.text()),
        }
    }
    panic!("media {id} never finished processing");
}

async fn fetch(app: &TestApp, url: &Value) -> TestResponse {
    let path = url
        .as_str()
        .expect("url")
        .trim_start_matches("http://kakehashi.test")
        .to_owned();
    app.get(&path).await
}

#[tokio::test]
async fn v2_uploads_answer_202_then_200_without_metadata() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let original = jpeg_with_exif(2400, 1600);
    assert!(contains(&original, SECRET.as_bytes()) && contains(&original, b"Exif\0\0"));

    let accepted = upload(
        &app,
        "/api/v2/media",
        &hanako.token,
        &[("description", "港区役所の外観"), ("focus", "0.25,-0.5")],
        "photo.jpg",
        &original,
    )
    .await;
    accepted.assert_status(StatusCode::ACCEPTED);
    let pending = accepted.json();
    assert_eq!(pending["type"], "image");
    assert_eq!(pending["url"], Value::Null);
    assert_eq!(pending["description"], "港区役所の外観");
    let id = pending["id"].as_str().expect("id").to_owned();

    let ready = wait_ready(&app, &hanako.token, &id).await;
    assert_eq!(
        ready["meta"]["original"],
        json!({"width": 1920, "height": 1280, "size": "1920x1280", "aspect": 1.5})
    );
    assert_eq!(ready["meta"]["small"]["width"], 400);
    assert_eq!(ready["meta"]["focus"], json!({"x": 0.25, "y": -0.5}));
    assert!(ready["blurhash"].as_str().is_some_and(|b| b.len() >= 6));
    assert_golden("media_attachment", &ready);

    let file = fetch(&app, &ready["url"]).await;
    file.assert_status(StatusCode::OK);
    assert_eq!(file.header("content-type"), Some("image/jpeg"));
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        file.header("content-security-policy"),
        Some("sandbox; default-src 'none'")
    );
    assert!(
        !contains(&file.body, SECRET.as_bytes()),
        "the EXIF text is gone"
    );
    assert!(!contains(&file.body, b"Exif\0\0"), "no EXIF block at all");
    let decoded = image::load_from_memory(&file.body).expect("a JPEG");
    assert_eq!((decoded.width(), decoded.height()), (1920, 1280));
    let preview = fetch(&app, &ready["preview_url"]).await;
    preview.assert_status(StatusCode::OK);
    assert!(!contains(&preview.body, SECRET.as_bytes()));

    // The file on disk is the one served: named by us, under the data directory.
    let name = ready["url"]
        .as_str()
        .expect("url")
        .rsplit("/media/")
        .next()
        .expect("name")
        .to_owned();
    let on_disk = std::fs::read(app.state.media.root().join(&name)).expect("stored file");
    assert!(!contains(&on_disk, SECRET.as_bytes()));
    assert!(!name.contains("photo"));
}

#[tokio::test]
async fn v1_uploads_are_synchronous_and_png_transparency_is_kept() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "write:media").await;
    let response = upload(
        &app,
        "/api/v1/media",
        &hanako.token,
        &[],
        "logo.png",
        &png_with_metadata(),
    )
    .await;
    response.assert_status(StatusCode::OK);
    let media = response.json();
    assert!(media["url"].as_str().is_some_and(|u| u.ends_with(".png")));
    let file = fetch(&app, &media["url"]).await;
    assert_eq!(file.header("content-type"), Some("image/png"));
    assert!(
        !contains(&file.body, SECRET.as_bytes()),
        "tEXt and eXIf are gone"
    );
    assert!(!contains(&file.body, b"eXIf") && !contains(&file.body, b"tEXt"));
    let decoded = image::load_from_memory(&file.body).expect("png");
    assert!(decoded.color().has_alpha());
}

#[tokio::test]
async fn garbage_and_absurd_images_are_refused() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "write").await;
    let garbage = upload(
        &app,
        "/api/v2/media",
        &hanako.token,
        &[],
        "x.jpg",
        b"this is not an image, just text",
    )
    .await;
    garbage.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        garbage.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("not supported"))
    );
    let html = upload(
        &app,
        "/api/v2/media",
        &hanako.token,
        &[],
        "x.png",
        b"<html><script>alert(1)</script></html>",
    )
    .await;
    html.assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    // A real PNG header claiming 20000 x 20000 pixels (a decompression bomb's shape).
    let mut bomb = png_bytes(1, 1);
    bomb[16..20].copy_from_slice(&20000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&20000u32.to_be_bytes());
    let bomb = upload(&app, "/api/v2/media", &hanako.token, &[], "bomb.png", &bomb).await;
    bomb.assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    let no_file = send(
        &app,
        Method::POST,
        "/api/v2/media",
        Some(&hanako.token),
        Some("application/x-www-form-urlencoded"),
        "description=x",
    )
    .await;
    no_file.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let bad_focus = upload(
        &app,
        "/api/v2/media",
        &hanako.token,
        &[("focus", "3,3")],
        "a.png",
        &png_bytes(8, 8),
    )
    .await;
    bad_focus.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let long = "あ".repeat(1501);
    let too_long = upload(
        &app,
        "/api/v2/media",
        &hanako.token,
        &[("description", &long)],
        "a.png",
        &png_bytes(8, 8),
    )
    .await;
    too_long.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_the_uploader_sees_and_updates_unattached_media() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let media = upload(
        &app,
        "/api/v1/media",
        &hanako.token,
        &[],
        "a.png",
        &png_bytes(300, 200),
    )
    .await
    .json();
    let id = media["id"].as_str().expect("id");

    let updated = send(
        &app,
        Method::PUT,
        &format!("/api/v1/media/{id}"),
        Some(&hanako.token),
        Some("application/json"),
        json!({"description": "グラフ", "focus": "-0.5,0.5"}).to_string(),
    )
    .await;
    updated.assert_status(StatusCode::OK);
    assert_eq!(updated.json()["description"], "グラフ");
    assert_eq!(
        updated.json()["meta"]["focus"],
        json!({"x": -0.5, "y": 0.5})
    );

    get(&app, &format!("/api/v1/media/{id}"), &taro.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let stolen = send(
        &app,
        Method::PUT,
        &format!("/api/v1/media/{id}"),
        Some(&taro.token),
        Some("application/json"),
        json!({"description": "mine"}).to_string(),
    )
    .await;
    stolen.assert_status(StatusCode::NOT_FOUND);
    get(&app, "/api/v1/media/12345", &hanako.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    get(&app, "/api/v1/media/../../etc/passwd", &hanako.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.get("/media/../kakehashi.sqlite3")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}
