//! Uploaded images: decoded within limits, turned upright, re-encoded without
//! their metadata (EXIF, GPS, comments), with a preview and a blurhash.

use std::io::Cursor;

use image::{
    DynamicImage, GenericImageView, ImageDecoder, ImageFormat, ImageReader, Limits,
    codecs::jpeg::JpegEncoder,
};

/// Longest side of previews, as Mastodon's `small` size.
const PREVIEW_SIDE: u32 = 640;
/// Decoding memory cap, whatever the header claims.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug)]
pub struct Processed {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
    pub preview: Vec<u8>,
    pub blurhash: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ImageError {
    #[error("is not an image in a supported format (JPEG, PNG, GIF, WebP)")]
    Unsupported,
    #[error("could not be read as an image")]
    Unreadable,
    #[error("is too large ({0} pixels; at most {1})")]
    TooManyPixels(u64, u64),
}

/// The format of `bytes` if they start like an image we take.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    image::guess_format(bytes).ok().filter(|f| {
        matches!(
            f,
            ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP
        )
    })
}

/// Decodes an upload within the limits, turned upright.
fn decode(bytes: &[u8], max_pixels: u64) -> Result<(DynamicImage, ImageFormat), ImageError> {
    let format = sniff(bytes).ok_or(ImageError::Unsupported)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| ImageError::Unreadable)?;
    let (w, h) = decoder.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    if pixels > max_pixels {
        return Err(ImageError::TooManyPixels(pixels, max_pixels));
    }
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| ImageError::Unreadable)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok((img, format))
}

/// An avatar or header: the image fitted in `width` × `height`, cropped to
/// that shape, re-encoded (JPEG, or PNG with transparency). Returns the bytes
/// and their extension.
pub fn fitted(
    bytes: &[u8],
    max_pixels: u64,
    width: u32,
    height: u32,
) -> Result<(Vec<u8>, &'static str), ImageError> {
    let (img, _) = decode(bytes, max_pixels)?;
    let img = img.resize_to_fill(width, height, image::imageops::FilterType::Lanczos3);
    if img.color().has_alpha() {
        Ok((png(&img)?, "png"))
    } else {
        Ok((jpeg(&img, 88)?, "jpg"))
    }
}

/// Decodes and re-encodes an upload. CPU-bound: call it off the async runtime.
pub fn process(bytes: &[u8], max_pixels: u64) -> Result<Processed, ImageError> {
    let (img, format) = decode(bytes, max_pixels)?;
    let (width, height) = img.dimensions();
    let (bytes, content_type, extension) = match format {
        // A GIF may be animated, and carries no camera metadata: kept as sent.
        ImageFormat::Gif => (bytes.to_vec(), "image/gif", "gif"),
        ImageFormat::Jpeg => (jpeg(&img, 90)?, "image/jpeg", "jpg"),
        _ if img.color().has_alpha() || format == ImageFormat::Png => {
            (png(&img)?, "image/png", "png")
        }
        _ => (jpeg(&img, 90)?, "image/jpeg", "jpg"),
    };
    let small = img.thumbnail(PREVIEW_SIDE, PREVIEW_SIDE);
    Ok(Processed {
        preview: jpeg(&small, 80)?,
        blurhash: blurhash(&small),
        bytes,
        content_type,
        extension,
        width,
        height,
    })
}

fn jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&DynamicImage::ImageRgb8(img.to_rgb8()))
        .map_err(|_| ImageError::Unreadable)?;
    Ok(out)
}

fn png(img: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)
        .map_err(|_| ImageError::Unreadable)?;
    Ok(out.into_inner())
}

/// A 4×3-component blurhash, computed on a small copy (the result is the same
/// to the eye and costs a fraction).
fn blurhash(img: &DynamicImage) -> Option<String> {
    let tiny = img.thumbnail(64, 64).to_rgba8();
    let (w, h) = tiny.dimensions();
    blurhash::encode(4, 3, w, h, tiny.as_raw()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Rgb, RgbImage, codecs::png::PngEncoder};

    fn sample_png(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut out = Vec::new();
        PngEncoder::new(&mut out)
            .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        out
    }

    #[test]
    fn png_is_reencoded_with_preview_and_blurhash() {
        let p = process(&sample_png(1200, 300), 33_177_600).unwrap();
        assert_eq!(
            (p.width, p.height, p.content_type),
            (1200, 300, "image/png")
        );
        let preview = image::load_from_memory(&p.preview).unwrap();
        assert_eq!(preview.dimensions(), (640, 160));
        assert_eq!(p.blurhash.as_deref().map(str::len), Some(4 + 2 * 4 * 3));
    }

    #[test]
    fn jpeg_metadata_is_stripped() {
        // A JPEG with an EXIF segment claiming a GPS position.
        let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(40, 30, Rgb([10, 200, 30])));
        let plain = jpeg(&img, 90).unwrap();
        let exif = b"Exif\0\0GPSLatitude 48.8566 secret-place";
        let mut with_exif = plain[..2].to_vec();
        with_exif.extend([0xFF, 0xE1]);
        with_exif.extend(((exif.len() + 2) as u16).to_be_bytes());
        with_exif.extend(exif);
        with_exif.extend(&plain[2..]);
        let p = process(&with_exif, 33_177_600).unwrap();
        assert_eq!(p.content_type, "image/jpeg");
        assert!(!p.bytes.windows(12).any(|w| w == b"secret-place"));
        assert_eq!((p.width, p.height), (40, 30));
    }

    #[test]
    fn bad_input_is_refused() {
        assert_eq!(
            process(b"<svg onload=alert(1)>", 1_000_000).unwrap_err(),
            ImageError::Unsupported
        );
        let mut broken = sample_png(100, 100);
        broken.truncate(60);
        assert_eq!(
            process(&broken, 1_000_000).unwrap_err(),
            ImageError::Unreadable
        );
        assert_eq!(
            process(&sample_png(100, 100), 5_000).unwrap_err(),
            ImageError::TooManyPixels(10_000, 5_000)
        );
    }
}
