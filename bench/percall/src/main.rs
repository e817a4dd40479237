//! Per-call overhead: 10,000 `GET /v2/users/{id}` calls of a small JSON body (the Gong
//! stand-in's first user, as `getUser` answers it) against a keep-alive HTTP/1.1 server on
//! 127.0.0.1, made by each client in turn in this one process:
//!
//! - `apigen`: the generated `gong-users` client, retries and rate limit off;
//! - `apigen-defaults`: the same with the default retry policy and a rate limiter on (at a
//!   rate these calls never reach, so its bookkeeping is measured, not its waiting);
//! - `floor`: a hand-written reqwest + serde derive client (`floor.rs`);
//! - `progenitor`: progenitor's client for the same spec (its own reqwest 0.13).
//!
//! Each client runs on a current-thread tokio runtime on this thread, so the thread's CPU
//! clock (user + system) holds all of its work; the server runs on other threads and
//! neither its CPU time nor its allocations count. Every client sends the same
//! `Authorization` header and decodes the whole body into typed structs. Rounds alternate
//! the clients' order; the figures are medians over the rounds.
//!
//!   percall [--calls N] [--rounds R] [--tsv FILE] [--only CLIENT]
//!
//! Prints a table with the ratios apigen / floor and apigen / progenitor, and with `--tsv`
//! writes the raw figures as `key<TAB>values` lines for bench/report.py.

mod alloc;
mod floor;
mod server;

use std::future::Future;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

const KEY: &str = "bench-access-key";
const SECRET: &str = "bench-access-key-secret";
const WARM_UP: usize = 500;

/// One client's figures for one round.
#[derive(Clone, Copy, Default)]
struct Sample {
    cpu_ns_per_call: f64,
    wall_ns_per_call: f64,
    allocs_per_call: f64,
    bytes_per_call: f64,
}

/// Makes `calls` calls with `call` after a warm-up, and measures them.
fn measure<F, Fut>(runtime: &tokio::runtime::Runtime, calls: usize, mut call: F) -> Sample
where
    F: FnMut() -> Fut,
    Fut: Future<Output = usize>,
{
    runtime.block_on(async {
        let mut check = 0;
        for _ in 0..WARM_UP {
            check += call().await;
        }
        let (allocs0, bytes0) = alloc::totals();
        let cpu0 = alloc::thread_cpu_ns();
        let wall0 = Instant::now();
        for _ in 0..calls {
            check += call().await;
        }
        let wall = wall0.elapsed();
        let cpu = alloc::thread_cpu_ns() - cpu0;
        let (allocs1, bytes1) = alloc::totals();
        assert_eq!(
            check,
            (WARM_UP + calls) * 15,
            "every call decoded the user's id"
        );
        let per = |x: f64| x / calls as f64;
        Sample {
            cpu_ns_per_call: per(cpu as f64),
            wall_ns_per_call: per(wall.as_nanos() as f64),
            allocs_per_call: per((allocs1 - allocs0) as f64),
            bytes_per_call: per((bytes1 - bytes0) as f64),
        }
    })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

struct Args {
    calls: usize,
    rounds: usize,
    tsv: Option<String>,
    only: Option<String>,
}

fn args() -> Args {
    let mut args = Args {
        calls: 10_000,
        rounds: 5,
        tsv: None,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--calls" => args.calls = value().parse().unwrap_or_else(|_| usage("--calls N")),
            "--rounds" => args.rounds = value().parse().unwrap_or_else(|_| usage("--rounds R")),
            "--tsv" => args.tsv = Some(value()),
            // One client only (for a profiler); the ratios are then meaningless.
            "--only" => args.only = Some(value()),
            _ => usage(&format!("unknown argument {arg}")),
        }
    }
    if args.calls == 0 || args.rounds == 0 {
        usage("--calls and --rounds must be positive");
    }
    args
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "percall: {problem}\nusage: percall [--calls N] [--rounds R] [--tsv FILE] [--only CLIENT]"
    );
    std::process::exit(2)
}

const CLIENTS: [(&str, &str); 4] = [
    ("apigen", "apigen, retries and rate limit off"),
    (
        "apigen-defaults",
        "apigen, default retry policy + rate limiter on",
    ),
    ("floor", "hand-written reqwest + serde derive"),
    ("progenitor", "progenitor"),
];

fn main() {
    let args = args();
    let users = gong_standin::fixtures::users(1);
    let record = &users[0].record;
    let id = users[0].id.clone();
    assert_eq!(id.len(), 15);
    let body = serde_json::to_vec(&serde_json::json!({
        "requestId": "4al018gzaztcr8nbukw",
        "user": record,
    }))
    .expect("body");
    let addr = server::start(&body);
    let base_url = format!("http://{addr}");
    let basic = {
        use std::io::Write;
        let mut raw = Vec::new();
        write!(raw, "{KEY}:{SECRET}").expect("write");
        format!("Basic {}", base64(&raw))
    };

    alloc::count_this_thread();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");

    let credentials = || gong_users::runtime::Credentials::basic(KEY, SECRET);
    let (ours, ours_defaults, floor, progenitor) = runtime.block_on(async {
        let off = gong_users::Client::default_config()
            .with_retry(gong_users::runtime::RetryPolicy::none())
            .with_calls_per_second(None);
        let ours = gong_users::Client::with_config(&base_url, credentials(), off).expect("client");
        // The default retry policy, and the limiter at a rate 10,000 calls never reach
        // (the spec's 3 calls/s would make them take 56 minutes).
        let defaults = gong_users::Client::default_config().with_calls_per_second(Some(1_000_000));
        let ours_defaults =
            gong_users::Client::with_config(&base_url, credentials(), defaults).expect("client");
        let floor = floor::Floor::new(&base_url, &basic);
        let progenitor = progenitor_client(&base_url, &basic);
        (ours, ours_defaults, floor, progenitor)
    });

    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); CLIENTS.len()];
    for round in 0..args.rounds {
        for k in 0..CLIENTS.len() {
            let which = (round + k) % CLIENTS.len();
            if args
                .only
                .as_ref()
                .is_some_and(|only| only != CLIENTS[which].0)
            {
                continue;
            }
            let sample = match which {
                0 => measure(&runtime, args.calls, || async {
                    let user = ours.get_user(&id).await.expect("apigen call");
                    black_box(
                        user.user
                            .as_ref()
                            .and_then(|u| u.id.as_ref())
                            .map_or(0, String::len),
                    )
                }),
                1 => measure(&runtime, args.calls, || async {
                    let user = ours_defaults.get_user(&id).await.expect("apigen call");
                    black_box(
                        user.user
                            .as_ref()
                            .and_then(|u| u.id.as_ref())
                            .map_or(0, String::len),
                    )
                }),
                2 => measure(&runtime, args.calls, || async {
                    let user = floor.get_user(&id).await.expect("floor call");
                    black_box(
                        user.user
                            .as_ref()
                            .and_then(|u| u.id.as_ref())
                            .map_or(0, String::len),
                    )
                }),
                _ => measure(&runtime, args.calls, || async {
                    let user = progenitor
                        .get_user(&id)
                        .await
                        .expect("progenitor call")
                        .into_inner();
                    black_box(
                        user.user
                            .as_ref()
                            .and_then(|u| u.id.as_ref())
                            .map_or(0, String::len),
                    )
                }),
            };
            samples[which].push(sample);
        }
        eprintln!("round {} of {} done", round + 1, args.rounds);
    }

    if args.only.is_some() {
        return;
    }
    // Decoding alone (no HTTP): the same body into each client's types, on this thread.
    let decode_samples: Vec<Vec<Sample>> = (0..DECODERS.len())
        .map(|which| {
            (0..args.rounds)
                .map(|_| {
                    measure(&runtime, args.calls, || async {
                        black_box(decode(which, black_box(&body)))
                    })
                })
                .collect()
        })
        .collect();

    report(&args, &body, &samples, &decode_samples);
}

const DECODERS: [(&str, &str); 3] = [
    ("apigen", "apigen's generated types"),
    ("floor", "serde derive (the floor's types)"),
    ("progenitor", "progenitor's types (serde derive)"),
];

/// Decodes `body` into decoder `which`'s `User`, returning the user id's length.
fn decode(which: usize, body: &[u8]) -> usize {
    match which {
        0 => {
            let user: gong_users::types::User = serde_json::from_slice(body).expect("decodes");
            user.user.and_then(|u| u.id).map_or(0, |id| id.len())
        }
        1 => {
            let user: floor::User = serde_json::from_slice(body).expect("decodes");
            user.user.and_then(|u| u.id).map_or(0, |id| id.len())
        }
        _ => {
            let user: gong_progenitor::types::User = serde_json::from_slice(body).expect("decodes");
            user.user.and_then(|u| u.id).map_or(0, |id| id.len())
        }
    }
}

fn progenitor_client(base_url: &str, basic: &str) -> gong_progenitor::Client {
    use progenitor_reqwest as preqwest;
    let mut headers = preqwest::header::HeaderMap::new();
    let mut value = preqwest::header::HeaderValue::from_str(basic).expect("header value");
    value.set_sensitive(true);
    headers.insert(preqwest::header::AUTHORIZATION, value);
    let http = preqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .default_headers(headers)
        .build()
        .expect("reqwest 0.13 client");
    gong_progenitor::Client::new_with_client(base_url, http)
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn report(args: &Args, body: &[u8], samples: &[Vec<Sample>], decode_samples: &[Vec<Sample>]) {
    let pick = |which: usize, f: fn(&Sample) -> f64| median(samples[which].iter().map(f).collect());
    let cpu: Vec<f64> = (0..CLIENTS.len())
        .map(|w| pick(w, |s| s.cpu_ns_per_call))
        .collect();
    let wall: Vec<f64> = (0..CLIENTS.len())
        .map(|w| pick(w, |s| s.wall_ns_per_call))
        .collect();
    let allocs: Vec<f64> = (0..CLIENTS.len())
        .map(|w| pick(w, |s| s.allocs_per_call))
        .collect();
    let bytes: Vec<f64> = (0..CLIENTS.len())
        .map(|w| pick(w, |s| s.bytes_per_call))
        .collect();
    println!(
        "{} GET calls of a {}-byte JSON body per client and round, {} rounds, medians:\n",
        args.calls,
        body.len(),
        args.rounds
    );
    println!("| client | CPU µs/call | wall µs/call | allocations/call | KB allocated/call | CPU / floor | allocations / floor |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (which, (_, label)) in CLIENTS.iter().enumerate() {
        println!(
            "| {label} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} | {:.2} |",
            cpu[which] / 1000.0,
            wall[which] / 1000.0,
            allocs[which],
            bytes[which] / 1024.0,
            cpu[which] / cpu[2],
            allocs[which] / allocs[2],
        );
    }
    println!(
        "\napigen / floor: CPU {:.2}, allocations {:.2} (target: CPU ≤ 1.1); apigen / progenitor: CPU {:.2}, allocations {:.2}; \
         defaults / off: CPU {:.2}, allocations {:.2}",
        cpu[0] / cpu[2],
        allocs[0] / allocs[2],
        cpu[0] / cpu[3],
        allocs[0] / allocs[3],
        cpu[1] / cpu[0],
        allocs[1] / allocs[0],
    );
    let dpick =
        |which: usize, f: fn(&Sample) -> f64| median(decode_samples[which].iter().map(f).collect());
    println!("\nDecoding the body alone (serde_json::from_slice, no HTTP), medians:\n");
    println!("| types | CPU µs/decode | allocations/decode | CPU / floor's |");
    println!("|---|---:|---:|---:|");
    for (which, (_, label)) in DECODERS.iter().enumerate() {
        println!(
            "| {label} | {:.2} | {:.1} | {:.2} |",
            dpick(which, |s| s.cpu_ns_per_call) / 1000.0,
            dpick(which, |s| s.allocs_per_call),
            dpick(which, |s| s.cpu_ns_per_call) / dpick(1, |s| s.cpu_ns_per_call),
        );
    }
    let transport = |call: f64, decode: f64| call - decode;
    println!(
        "\napigen's call without its decoding vs the floor's without its own: CPU {:.2} ({:.1} vs {:.1} µs), allocations {:.1} vs {:.1}",
        transport(cpu[0], dpick(0, |s| s.cpu_ns_per_call)) / transport(cpu[2], dpick(1, |s| s.cpu_ns_per_call)),
        transport(cpu[0], dpick(0, |s| s.cpu_ns_per_call)) / 1000.0,
        transport(cpu[2], dpick(1, |s| s.cpu_ns_per_call)) / 1000.0,
        allocs[0] - dpick(0, |s| s.allocs_per_call),
        allocs[2] - dpick(1, |s| s.allocs_per_call),
    );
    if let Some(path) = &args.tsv {
        let mut tsv = format!(
            "percall.calls\t{}\npercall.rounds\t{}\npercall.body\t{}\n",
            args.calls,
            args.rounds,
            body.len()
        );
        for (which, (key, _)) in CLIENTS.iter().enumerate() {
            let join = |f: fn(&Sample) -> f64| {
                samples[which]
                    .iter()
                    .map(|s| format!("{:.1}", f(s)))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            tsv.push_str(&format!(
                "percall.{key}.cpu_ns\t{}\n",
                join(|s| s.cpu_ns_per_call)
            ));
            tsv.push_str(&format!(
                "percall.{key}.wall_ns\t{}\n",
                join(|s| s.wall_ns_per_call)
            ));
            tsv.push_str(&format!(
                "percall.{key}.allocs\t{}\n",
                join(|s| s.allocs_per_call)
            ));
            tsv.push_str(&format!(
                "percall.{key}.bytes\t{}\n",
                join(|s| s.bytes_per_call)
            ));
        }
        for (which, (key, _)) in DECODERS.iter().enumerate() {
            let join = |f: fn(&Sample) -> f64| {
                decode_samples[which]
                    .iter()
                    .map(|s| format!("{:.1}", f(s)))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            tsv.push_str(&format!(
                "percall.decode.{key}.cpu_ns\t{}\n",
                join(|s| s.cpu_ns_per_call)
            ));
            tsv.push_str(&format!(
                "percall.decode.{key}.allocs\t{}\n",
                join(|s| s.allocs_per_call)
            ));
        }
        std::fs::write(path, tsv).unwrap_or_else(|e| panic!("write {path}: {e}"));
    }
}
