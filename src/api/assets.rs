//! Built-in images: the default avatar, header and logo clients expect to exist.

use axum::{
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

use crate::error::AppError;

const AVATAR: &[u8] = include_bytes!("../../assets/avatar.png");
const HEADER: &[u8] = include_bytes!("../../assets/header.png");
const LOGO: &[u8] = include_bytes!("../../assets/logo.png");

pub async fn get_asset(Path(name): Path<String>) -> Result<Response, AppError> {
    let bytes = match name.as_str() {
        "avatar.png" => AVATAR,
        "header.png" => HEADER,
        "logo.png" => LOGO,
        _ => return Err(AppError::not_found()),
    };
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(r)
}
