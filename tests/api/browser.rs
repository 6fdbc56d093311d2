//! A browser's side of the web pages, without a browser: a session cookie kept
//! between requests, forms posted with the page's form token, redirects seen.

use crate::helpers::TestApp;

pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
    pub lang: Option<&'static str>,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookie: Vec<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// The form token of the page (the value of its first `csrf` field).
    pub fn form_token(&self) -> String {
        let marker = r#"name="csrf" value=""#;
        let start = self.body.find(marker).expect("a form with a token") + marker.len();
        self.body[start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookie: None,
            lang: None,
        }
    }

    async fn read(resp: reqwest::Response) -> Page {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let set_cookie = headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect();
        let body = resp.text().await.unwrap_or_default();
        Page {
            status,
            location,
            set_cookie,
            headers,
            body,
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut r = self
            .app
            .client
            .request(method, self.app.url(path))
            .header("Accept", "text/html");
        if let Some(c) = &self.cookie {
            r = r.header("Cookie", c.as_str());
        }
        if let Some(l) = self.lang {
            r = r.header("Accept-Language", l);
        }
        r
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::read(
            self.request(reqwest::Method::GET, path)
                .send()
                .await
                .expect("get"),
        )
        .await
    }

    /// Posts `fields` with `origin` as the `Origin` header (`None`: none sent).
    pub async fn post_from(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Page {
        let mut r = self.request(reqwest::Method::POST, path).form(fields);
        if let Some(o) = origin {
            r = r.header("Origin", o);
        }
        Self::read(r.send().await.expect("post")).await
    }

    /// Posts a form as our pages do: from this site, with the session's token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = if self.cookie.is_some() {
            self.get("/settings").await.form_token()
        } else {
            String::new()
        };
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_from(path, &all, Some(&self.app.base)).await
    }

    /// Posts a `multipart/form-data` form as the composer does: text fields with
    /// the session's token, and files `(field, bytes)`.
    pub async fn post_files(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: Vec<(&str, Vec<u8>)>,
    ) -> Page {
        let mut form =
            reqwest::multipart::Form::new().text("csrf", self.get("/settings").await.form_token());
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        for (k, bytes) in files {
            let part = reqwest::multipart::Part::bytes(bytes).file_name("picture.png");
            form = form.part(k.to_string(), part);
        }
        let r = self
            .request(reqwest::Method::POST, path)
            .header("Origin", self.app.base.as_str())
            .multipart(form);
        Self::read(r.send().await.expect("post")).await
    }

    /// Posts a `multipart/form-data` form with one named, typed file in its
    /// `file` field, as a library's upload form does.
    pub async fn post_file(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        (name, mime, bytes): (&str, &str, Vec<u8>),
    ) -> Page {
        let mut form =
            reqwest::multipart::Form::new().text("csrf", self.get("/settings").await.form_token());
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str(mime)
            .expect("a media type");
        let r = self
            .request(reqwest::Method::POST, path)
            .header("Origin", self.app.base.as_str())
            .multipart(form.part("file", part));
        Self::read(r.send().await.expect("post")).await
    }

    /// Signs in with the test password; panics unless it works.
    pub async fn sign_in(&mut self, login: &str) -> Page {
        let page = self
            .post(
                "/login",
                &[("login", login), ("password", "correct horse battery")],
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        let cookie = page
            .set_cookie
            .iter()
            .find(|c| c.starts_with("passerelle_session="))
            .expect("a session cookie");
        self.cookie = Some(cookie.split(';').next().unwrap_or_default().to_string());
        page
    }
}
