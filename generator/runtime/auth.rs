// Part of the runtime every generated client carries: credentials and secrets.
// (Runtime parts must not contain inner attributes or `//!` comments; see mod.rs.)

use std::fmt;

use super::BuildError;

/// A secret string (password, token) that never shows in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself. Call only where it is sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How requests authenticate. The spec's security schemes say which the server accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// No `Authorization` header.
    None,
    /// HTTP Basic: `Authorization: Basic base64(username:password)`.
    Basic {
        /// The user name (for example an access key).
        username: String,
        /// The password (for example an access key secret).
        password: Secret,
    },
    /// `Authorization: Bearer <token>`, for example an OAuth 2.0 access token.
    Bearer(Secret),
}

impl Credentials {
    /// HTTP Basic credentials.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::Basic {
            username: username.into(),
            password: Secret::new(password),
        }
    }

    /// A bearer token.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::Bearer(Secret::new(token))
    }

    /// The `Authorization` header value, marked sensitive so it is never logged.
    #[doc(hidden)]
    pub fn header_value(&self) -> Result<Option<reqwest::header::HeaderValue>, BuildError> {
        use base64::Engine as _;
        let text = match self {
            Self::None => return Ok(None),
            Self::Basic { username, password } => {
                let pair = format!("{username}:{}", password.expose());
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                )
            }
            Self::Bearer(token) => format!("Bearer {}", token.expose()),
        };
        let mut value = reqwest::header::HeaderValue::from_str(&text).map_err(|_| {
            BuildError::new("credentials contain characters not allowed in an HTTP header")
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

