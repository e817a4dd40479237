//! What the examples share: a client built from the environment, or, without
//! `GONG_BASE_URL`, one pointed at the local Gong stand-in started in this process.

use gong_standin::gong::{Config, StandIn, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
use gong_users_dev::{Client, Credentials};

/// A client, and the stand-in it talks to when no real Gong is configured (keep it alive
/// as long as the client is used).
pub struct Target {
    pub client: Client,
    pub _stand_in: Option<StandIn>,
}

/// Builds the client from `GONG_BASE_URL` and `GONG_ACCESS_KEY` + `GONG_ACCESS_KEY_SECRET`
/// (or `GONG_BEARER_TOKEN`); an `http://` base URL is accepted for loopback addresses.
/// Without `GONG_BASE_URL`, starts the stand-in on 127.0.0.1 and uses its credentials.
pub async fn target() -> Result<Target, String> {
    let Some(base_url) = env("GONG_BASE_URL") else {
        let stand_in = StandIn::start(Config::default())
            .await
            .map_err(|e| format!("cannot start the local stand-in: {e}"))?;
        eprintln!(
            "GONG_BASE_URL is not set: using the local Gong stand-in at {}",
            stand_in.url()
        );
        let credentials = Credentials::basic(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET);
        let client = Client::new(&stand_in.url(), credentials).map_err(|e| e.to_string())?;
        return Ok(Target {
            client,
            _stand_in: Some(stand_in),
        });
    };
    let credentials = match (
        env("GONG_ACCESS_KEY"),
        env("GONG_ACCESS_KEY_SECRET"),
        env("GONG_BEARER_TOKEN"),
    ) {
        (Some(key), Some(secret), _) => Credentials::basic(key, secret),
        (_, _, Some(token)) => Credentials::bearer(token),
        _ => {
            return Err(
                "set GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET, or GONG_BEARER_TOKEN".into(),
            )
        }
    };
    let client = Client::new(&base_url, credentials).map_err(|e| e.to_string())?;
    Ok(Target {
        client,
        _stand_in: None,
    })
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}
