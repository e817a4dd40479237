//! Fetches one Gong user and prints it as JSON on stdout.
//!
//! ```text
//! cargo run --example get_user -- ID
//! ```
//!
//! Reads `GONG_BASE_URL` and `GONG_ACCESS_KEY` + `GONG_ACCESS_KEY_SECRET` (or
//! `GONG_BEARER_TOKEN`); without `GONG_BASE_URL` it runs against the local stand-in, whose
//! first user is `234599484848400`. On failure the error goes to stderr and the exit code is
//! not zero.

mod common;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let Some(id) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run --example get_user -- ID");
        return ExitCode::from(2);
    };
    let target = match common::target().await {
        Ok(target) => target,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match target.client.get_user(&id).await {
        Ok(response) => match serde_json::to_string_pretty(&response.body().user) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot print the user: {e}");
                ExitCode::FAILURE
            }
        },
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
