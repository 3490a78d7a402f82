//! Uploaded media: the checks, the processing (decode, orient, downscale, re-encode without
//! metadata, thumbnail, blurhash) and the files under `<data_dir>/media/`. Only images so far.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use chrono::Utc;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::db::models::{MediaProcessed, MediaRow};
use crate::db::{Db, ids, store};
use crate::error::AppError;

/// Larger images are refused: each side, and the pixel count (Mastodon's limit is 33 Mpx).
pub const MAX_SIDE: u32 = 8192;
pub const MAX_PIXELS: u64 = 40_000_000;
/// Stored originals are downscaled to this many pixels on the long side.
pub const ORIGINAL_LONG_SIDE: u32 = 1920;
/// Previews (`preview_url`, `meta.small`).
pub const THUMBNAIL_LONG_SIDE: u32 = 400;
/// Mastodon's limit on alt text.
pub const DESCRIPTION_MAX: usize = 1500;
/// What we decode.
pub const SUPPORTED_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "image/webp"];
const JPEG_QUALITY: u8 = 85;

/// What an upload brings.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub file: Vec<u8>,
    /// A custom preview image.
    pub thumbnail: Option<Vec<u8>>,
    pub description: Option<String>,
    /// `"x,y"`, each in -1.0..=1.0.
    pub focus: Option<String>,
}

/// An encoded image ready to be written.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub extension: &'static str,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The result of processing one uploaded image.
#[derive(Debug, Clone)]
pub struct Processed {
    pub original: Encoded,
    pub small: Encoded,
    pub blurhash: String,
}

/// Which profile image, with its fixed size (Mastodon's 400x400 and 1500x500).
#[derive(Debug, Clone, Copy)]
pub enum ProfileImage {
    Avatar,
    Header,
}

impl ProfileImage {
    fn size(self) -> (u32, u32) {
        match self {
            ProfileImage::Avatar => (400, 400),
            ProfileImage::Header => (1500, 500),
        }
    }

    fn folder(self) -> &'static str {
        match self {
            ProfileImage::Avatar => "avatars",
            ProfileImage::Header => "headers",
        }
    }
}

fn unprocessable(message: &str) -> AppError {
    AppError::Unprocessable(format!("Validation failed: {message}"))
}

/// `"x,y"` with both in -1.0..=1.0.
pub fn parse_focus(text: &str) -> Result<(f64, f64), AppError> {
    let invalid =
        || unprocessable("Focus must be two numbers from -1.0 to 1.0, such as \"0.5,-0.2\"");
    let (x, y) = text.split_once(',').ok_or_else(invalid)?;
    let x: f64 = x.trim().parse().map_err(|_| invalid())?;
    let y: f64 = y.trim().parse().map_err(|_| invalid())?;
    if !(-1.0..=1.0).contains(&x) || !(-1.0..=1.0).contains(&y) {
        return Err(invalid());
    }
    Ok((x, y))
}

pub fn check_description(text: &str) -> Result<(), AppError> {
    if text.chars().count() > DESCRIPTION_MAX {
        return Err(unprocessable(&format!(
            "Description is too long (maximum is {DESCRIPTION_MAX} characters)"
        )));
    }
    Ok(())
}

/// A reader over an upload whose format is one we take.
type Reader<'a> = ImageReader<Cursor<&'a [u8]>>;

fn reader(bytes: &[u8]) -> Result<(Reader<'_>, ImageFormat), AppError> {
    let not_image = || {
        unprocessable(
            "File type of the upload is not supported; send a JPEG, PNG, GIF or WebP image",
        )
    };
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| not_image())?;
    let format = reader.format().ok_or_else(not_image)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP
    ) {
        return Err(not_image());
    }
    Ok((reader, format))
}

fn check_dimensions(width: u32, height: u32) -> Result<(), AppError> {
    if width == 0 || height == 0 {
        return Err(unprocessable("The image is empty"));
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(unprocessable(&format!(
            "The image is {width}x{height}; at most {MAX_SIDE} pixels a side and {} megapixels are accepted",
            MAX_PIXELS / 1_000_000
        )));
    }
    Ok(())
}

/// Reads only the header: the format must be one we take and the size within the limits. Cheap
/// enough to run before answering the upload.
pub fn inspect(bytes: &[u8]) -> Result<(u32, u32), AppError> {
    let (reader, _) = reader(bytes)?;
    let (width, height) = reader
        .into_dimensions()
        .map_err(|_| unprocessable("The file is not a readable image"))?;
    check_dimensions(width, height)?;
    Ok((width, height))
}

/// Decodes (the first frame of an animation), applies the EXIF orientation and drops everything
/// but the pixels.
fn decode(bytes: &[u8]) -> Result<DynamicImage, AppError> {
    let (mut reader, _) = reader(bytes)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 8);
    reader.limits(limits);
    let unreadable = |_| unprocessable("The file is not a readable image");
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height)?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(image)
}

/// Whether any pixel is not fully opaque.
fn has_transparency(image: &DynamicImage) -> bool {
    image.color().has_alpha() && image.to_rgba8().pixels().any(|p| p.0[3] < 255)
}

/// PNG when the image has transparency, JPEG otherwise. Neither carries the source's metadata.
fn encode(image: &DynamicImage, keep_alpha: bool) -> Result<Encoded, AppError> {
    let mut bytes = Vec::new();
    let (extension, content_type) = if keep_alpha {
        image
            .to_rgba8()
            .write_with_encoder(PngEncoder::new(&mut bytes))
            .map_err(AppError::internal)?;
        ("png", "image/png")
    } else {
        image
            .to_rgb8()
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY))
            .map_err(AppError::internal)?;
        ("jpg", "image/jpeg")
    };
    Ok(Encoded {
        bytes,
        extension,
        content_type,
        width: image.width(),
        height: image.height(),
    })
}

fn fit(image: DynamicImage, long_side: u32) -> DynamicImage {
    if image.width().max(image.height()) > long_side {
        image.resize(long_side, long_side, FilterType::Lanczos3)
    } else {
        image
    }
}

/// Processes an uploaded image: the stored original (at most 1920 px on the long side), a 400 px
/// preview (from `thumbnail` when given) and the blurhash. CPU-bound: run it on a blocking thread.
pub fn process_image(file: &[u8], thumbnail: Option<&[u8]>) -> Result<Processed, AppError> {
    let image = decode(file)?;
    let alpha = has_transparency(&image);
    let image = fit(image, ORIGINAL_LONG_SIDE);
    let preview_source = match thumbnail {
        Some(bytes) => decode(bytes)?,
        None => image.clone(),
    };
    let preview_alpha = has_transparency(&preview_source);
    // Small images are their own preview: `thumbnail` would enlarge them.
    let small_image = if preview_source.width().max(preview_source.height()) > THUMBNAIL_LONG_SIDE {
        preview_source.thumbnail(THUMBNAIL_LONG_SIDE, THUMBNAIL_LONG_SIDE)
    } else {
        preview_source
    };
    let rgba = small_image.to_rgba8();
    let blurhash = blurhash::encode(4, 3, rgba.width(), rgba.height(), rgba.as_raw())
        .map_err(AppError::internal)?;
    Ok(Processed {
        original: encode(&image, alpha)?,
        small: encode(&small_image, preview_alpha)?,
        blurhash,
    })
}

/// An avatar or header: cropped to fill its fixed size, re-encoded.
pub fn process_profile_image(file: &[u8], kind: ProfileImage) -> Result<Encoded, AppError> {
    let image = decode(file)?;
    let alpha = has_transparency(&image);
    let (width, height) = kind.size();
    let image = image.resize_to_fill(width, height, FilterType::Lanczos3);
    encode(&image, alpha)
}

/// The files under `<data_dir>/media/`, named by us: `<folder>/<random>.<ext>`.
#[derive(Debug, Clone)]
pub struct MediaStore {
    root: PathBuf,
}

impl MediaStore {
    pub fn new(data_dir: &Path) -> MediaStore {
        MediaStore {
            root: data_dir.join("media"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes `bytes` under a fresh name in `folder`; returns the name relative to the root.
    pub async fn write(
        &self,
        folder: &str,
        extension: &str,
        bytes: Vec<u8>,
    ) -> Result<String, AppError> {
        let random: [u8; 16] = rand::random();
        let random: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let name = format!("{folder}/{random}.{extension}");
        let path = self.root.join(&name);
        tokio::task::spawn_blocking(move || {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, bytes)
        })
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
        Ok(name)
    }

    /// Deletes a stored file; a file already gone is not an error.
    pub async fn remove(&self, name: &str) {
        if name.contains("..") || name.starts_with('/') {
            return;
        }
        if let Err(error) = tokio::fs::remove_file(self.root.join(name)).await
            && error.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(%error, file = name, "cannot delete a media file");
        }
    }

    /// Processes and stores a profile image; returns its file name.
    pub async fn save_profile_image(
        &self,
        bytes: Vec<u8>,
        kind: ProfileImage,
    ) -> Result<String, AppError> {
        let encoded = tokio::task::spawn_blocking(move || process_profile_image(&bytes, kind))
            .await
            .map_err(AppError::internal)??;
        self.write(kind.folder(), encoded.extension, encoded.bytes)
            .await
    }
}

/// Stores an upload. With `wait` the answer comes once processing is done (`POST /api/v1/media`);
/// otherwise processing goes on in the background and the row is still `processing`.
pub async fn upload(
    db: &Db,
    files: &MediaStore,
    owner_id: i64,
    upload: Upload,
    wait: bool,
) -> Result<MediaRow, AppError> {
    if let Some(text) = &upload.description {
        check_description(text)?;
    }
    let focus = upload
        .focus
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .map(parse_focus)
        .transpose()?;
    inspect(&upload.file)?;
    if let Some(thumbnail) = &upload.thumbnail {
        inspect(thumbnail)?;
    }
    let now = Utc::now().naive_utc();
    let row = MediaRow {
        id: ids::next_id(),
        account_id: owner_id,
        status_id: None,
        kind: "image".to_owned(),
        state: "processing".to_owned(),
        file_name: None,
        content_type: None,
        file_size: None,
        width: None,
        height: None,
        thumbnail_file_name: None,
        thumbnail_width: None,
        thumbnail_height: None,
        description: upload.description.filter(|d| !d.is_empty()),
        focus_x: focus.map(|f| f.0),
        focus_y: focus.map(|f| f.1),
        blurhash: None,
        remote_url: None,
        created_at: now,
        updated_at: now,
    };
    let stored = row.clone();
    db.run(move |conn| Ok(store::media::insert(conn, &stored)?))
        .await?;
    let id = row.id;
    let work = finish_processing(db.clone(), files.clone(), id, upload.file, upload.thumbnail);
    if wait {
        work.await?;
        return find(db, id).await;
    }
    tokio::spawn(async move {
        if let Err(error) = work.await {
            tracing::warn!(%error, media_id = id, "media processing failed");
        }
    });
    Ok(row)
}

/// Decodes and stores the files, then marks the row ready (or failed).
async fn finish_processing(
    db: Db,
    files: MediaStore,
    id: i64,
    file: Vec<u8>,
    thumbnail: Option<Vec<u8>>,
) -> Result<(), AppError> {
    let processed = tokio::task::spawn_blocking(move || process_image(&file, thumbnail.as_deref()))
        .await
        .map_err(AppError::internal)
        .and_then(|r| r);
    let processed = match processed {
        Ok(p) => p,
        Err(error) => {
            db.run(move |conn| Ok(store::media::set_failed(conn, id, Utc::now().naive_utc())?))
                .await?;
            return Err(error);
        }
    };
    let size = processed.original.bytes.len() as i64;
    let original_name = files
        .write(
            "attachments",
            processed.original.extension,
            processed.original.bytes,
        )
        .await?;
    let small_name = files
        .write(
            "attachments",
            processed.small.extension,
            processed.small.bytes,
        )
        .await?;
    let changes = MediaProcessed {
        state: "ready".to_owned(),
        file_name: Some(original_name),
        content_type: Some(processed.original.content_type.to_owned()),
        file_size: Some(size),
        width: Some(processed.original.width as i32),
        height: Some(processed.original.height as i32),
        thumbnail_file_name: Some(small_name),
        thumbnail_width: Some(processed.small.width as i32),
        thumbnail_height: Some(processed.small.height as i32),
        blurhash: Some(processed.blurhash),
        updated_at: Utc::now().naive_utc(),
    };
    db.run(move |conn| Ok(store::media::set_processed(conn, id, &changes)?))
        .await
}

async fn find(db: &Db, id: i64) -> Result<MediaRow, AppError> {
    db.run(move |conn| store::media::find(conn, id)?.ok_or(AppError::NotFound))
        .await
}

/// An attachment its owner has not yet put in a post; `NotFound` for anyone else's, as on
/// Mastodon.
pub async fn find_own_unattached(db: &Db, owner_id: i64, id: i64) -> Result<MediaRow, AppError> {
    let row = find(db, id).await?;
    if row.account_id != owner_id || row.status_id.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// Changes the alt text and focus of one's own unattached media.
pub async fn update(
    db: &Db,
    owner_id: i64,
    id: i64,
    description: Option<String>,
    focus: Option<String>,
) -> Result<MediaRow, AppError> {
    find_own_unattached(db, owner_id, id).await?;
    if let Some(text) = &description {
        check_description(text)?;
    }
    let focus = focus
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .map(parse_focus)
        .transpose()?;
    db.run(move |conn| {
        Ok(store::media::set_description_and_focus(
            conn,
            id,
            description.as_deref(),
            focus,
            Utc::now().naive_utc(),
        )?)
    })
    .await?;
    find(db, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, alpha: u8) -> Vec<u8> {
        let image = image::RgbaImage::from_fn(width, height, |x, y| {
            image::Rgba([(x % 256) as u8, (y % 256) as u8, 128, alpha])
        });
        let mut out = Vec::new();
        image
            .write_with_encoder(PngEncoder::new(&mut out))
            .expect("encode");
        out
    }

    #[test]
    fn focus_is_two_numbers_in_range() {
        assert_eq!(parse_focus("0.5,-0.25").ok(), Some((0.5, -0.25)));
        assert!(parse_focus("2,0").is_err());
        assert!(parse_focus("a,b").is_err());
        assert!(parse_focus("0.5").is_err());
    }

    #[test]
    fn images_are_downscaled_and_previewed() {
        let processed = process_image(&png(2400, 1200, 255), None).expect("process");
        assert_eq!(
            (processed.original.width, processed.original.height),
            (1920, 960)
        );
        assert_eq!(processed.original.content_type, "image/jpeg");
        assert_eq!((processed.small.width, processed.small.height), (400, 200));
        assert!(processed.blurhash.len() >= 6);
        let transparent = process_image(&png(10, 10, 100), None).expect("process");
        assert_eq!(transparent.original.content_type, "image/png");
    }

    #[test]
    fn garbage_and_huge_images_are_refused() {
        assert!(inspect(b"not an image at all").is_err());
        assert!(inspect(b"%PDF-1.4 hello").is_err());
        // A PNG header claiming 20000x20000 pixels.
        let mut huge = png(1, 1, 255);
        huge[16..20].copy_from_slice(&20000u32.to_be_bytes());
        huge[20..24].copy_from_slice(&20000u32.to_be_bytes());
        assert!(inspect(&huge).is_err());
        assert!(process_image(&huge, None).is_err());
    }

    #[test]
    fn avatars_are_cropped_to_size() {
        let avatar =
            process_profile_image(&png(800, 600, 255), ProfileImage::Avatar).expect("avatar");
        assert_eq!((avatar.width, avatar.height), (400, 400));
        let header =
            process_profile_image(&png(800, 600, 255), ProfileImage::Header).expect("header");
        assert_eq!((header.width, header.height), (1500, 500));
    }
}
