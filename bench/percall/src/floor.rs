//! The floor: the client a person would write by hand for `GET /v2/users/{id}` with
//! reqwest and serde's derive, with the same timeouts, `User-Agent` and credentials as the
//! generated client's, the status checked and the whole body decoded into typed structs
//! (the same fields and types as the generated `User`). The benchmark reads only the id;
//! every field is decoded all the same.
#![allow(dead_code)]

use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub request_id: Option<String>,
    pub user: Option<UserMetadata>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserMetadata {
    pub id: Option<String>,
    pub email_address: Option<String>,
    pub created: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub active: Option<bool>,
    pub email_aliases: Option<Vec<String>>,
    pub trusted_email_address: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub title: Option<String>,
    pub phone_number: Option<String>,
    pub extension: Option<String>,
    pub personal_meeting_urls: Option<Vec<String>>,
    pub settings: Option<Settings>,
    pub manager_id: Option<String>,
    pub meeting_consent_page_url: Option<String>,
    pub spoken_languages: Option<Vec<SpokenLanguage>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub web_conferences_recorded: Option<bool>,
    pub prevent_web_conference_recording: Option<bool>,
    pub telephony_calls_imported: Option<bool>,
    pub emails_imported: Option<bool>,
    pub prevent_email_import: Option<bool>,
    pub non_recorded_meetings_imported: Option<bool>,
    pub gong_connect_enabled: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct SpokenLanguage {
    pub language: Option<String>,
    pub primary: Option<bool>,
}

/// The hand-written client.
pub struct Floor {
    http: reqwest::Client,
    base_url: String,
    authorization: reqwest::header::HeaderValue,
}

impl Floor {
    pub fn new(base_url: &str, authorization: &str) -> Self {
        let mut authorization =
            reqwest::header::HeaderValue::from_str(authorization).expect("header value");
        authorization.set_sensitive(true);
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .user_agent("floor/0.1.0")
            .build()
            .expect("reqwest client");
        Self {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            authorization,
        }
    }

    pub async fn get_user(&self, id: &str) -> Result<User, reqwest::Error> {
        self.http
            .get(format!("{}/v2/users/{id}", self.base_url))
            .header(reqwest::header::AUTHORIZATION, self.authorization.clone())
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }
}
