//! Lists every Gong user, following the cursor across all pages.
//!
//! ```text
//! cargo run --example list_users            # a table
//! cargo run --example list_users -- --json  # one JSON object per line
//! ```
//!
//! Uses the same environment as `get_user` (without `GONG_BASE_URL`, the local stand-in).
//! Progress goes to stderr while paging; the client keeps under the spec's rate limit.

mod common;

use std::io::Write;
use std::pin::Pin;
use std::process::ExitCode;
use std::time::Instant;

use futures_core::Stream;
use gong_users_dev::types::UserMetadata;

#[tokio::main]
async fn main() -> ExitCode {
    let json = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--json") => true,
        Some(other) => {
            eprintln!(
                "unknown argument {other:?}; usage: cargo run --example list_users [-- --json]"
            );
            return ExitCode::from(2);
        }
    };
    let target = match common::target().await {
        Ok(target) => target,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let mut users = target.client.list_users_stream();
    let mut stdout = std::io::stdout().lock();
    if !json {
        let _ = writeln!(
            stdout,
            "{:<20}  {:<24}  {:<32}  {:<30}  active",
            "id", "name", "email", "title"
        );
    }
    let mut count = 0usize;
    while let Some(next) = std::future::poll_fn(|cx| Pin::new(&mut users).poll_next(cx)).await {
        let user = match next {
            Ok(user) => user,
            Err(error) => {
                eprintln!("\nerror after {count} users: {error}");
                return ExitCode::FAILURE;
            }
        };
        count += 1;
        if count % 50 == 0 {
            eprint!(
                "\rfetched {count} users ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
        }
        let written = if json {
            serde_json::to_string(&user)
                .map_err(std::io::Error::other)
                .and_then(|line| writeln!(stdout, "{line}"))
        } else {
            writeln!(stdout, "{}", row(&user))
        };
        if written.is_err() {
            // stdout closed (for example piped into `head`): stop quietly.
            return ExitCode::SUCCESS;
        }
    }
    eprintln!(
        "\rfetched {count} users in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}

fn row(user: &UserMetadata) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let name = format!("{} {}", text(&user.first_name), text(&user.last_name));
    format!(
        "{:<20}  {:<24}  {:<32}  {:<30}  {}",
        text(&user.id),
        name.trim(),
        text(&user.email_address),
        text(&user.title),
        user.active.map_or("-", |a| if a { "yes" } else { "no" })
    )
}
