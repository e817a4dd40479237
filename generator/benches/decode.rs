//! What generated structs' serde impls cost at run time, against serde's derive on the same
//! structs: decoding and encoding time (median of repeated runs, MiB/s of JSON) and the peak
//! heap memory of one decode, on three payloads:
//!
//! * `repos`: 5,000 small repositories, each with an owner and a parent (4.6 MB);
//! * `github`: GitHub-shaped repositories as the API sends them (owner, licence,
//!   permissions, a parent with its own owner and licence, a template);
//! * `depth N`, N = 1, 2, 4, 8, 16: objects nested N deep, the same total size at every depth,
//!   so a cost that grows with depth shows as falling throughput.
//!
//! The generated side is the runtime part itself (`runtime/object.rs`, included, not
//! copied) with impls shaped exactly as `emit/types.rs` writes them (the `generated!`
//! macro below). Inside this workspace serde_json has `preserve_order` (the generator
//! needs it), which slows both sides alike; read the ratios.
//!
//! ```sh
//! cargo bench -p apigen --bench decode            # APIGEN_BENCH_RUNS=N (default 15)
//! ```

use std::time::{Duration, Instant};

use peak_alloc::PeakAlloc;

// The runtime parts themselves, not copies, so the benchmark follows them.
#[allow(dead_code, missing_docs, unused_imports)]
mod runtime {
    pub mod object {
        include!("../runtime/object.rs");
    }
    pub mod lenient {
        include!("../runtime/lenient.rs");
    }
    pub mod leaves {
        include!("../runtime/leaves.rs");
    }
    pub use lenient::*;
    pub use object::*;
}

/// The system allocator, counting the bytes in use and their peak.
#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

/// The heap peak while `work` runs, above what was in use when it started.
fn peak_bytes<T>(work: impl FnOnce() -> T) -> usize {
    let before = ALLOCATOR.current_usage();
    ALLOCATOR.reset_peak_usage();
    let result = work();
    let peak = ALLOCATOR.peak_usage();
    drop(result);
    peak - before
}

/// A struct with serde's derive (`opt`: absent or `null` is `None`, left out when `None`;
/// `reqt` and `optt`, fields the generated side reads with the decoding policy's tolerances,
/// are `req` and `opt` here).
macro_rules! derived {
    ($name:ident { $($body:tt)* }) => { derived!(@munch $name [] $($body)*); };
    (@munch $name:ident [$($done:tt)*] $field:ident : $ty:ty = reqt, $($rest:tt)*) => {
        derived!(@munch $name [$($done)*] $field: $ty = req, $($rest)*);
    };
    (@munch $name:ident [$($done:tt)*] $field:ident : $ty:ty = optt, $($rest:tt)*) => {
        derived!(@munch $name [$($done)*] $field: $ty = opt, $($rest)*);
    };
    (@munch $name:ident [$($done:tt)*] $field:ident : $ty:ty = req, $($rest:tt)*) => {
        derived!(@munch $name [$($done)* pub $field: $ty,] $($rest)*);
    };
    (@munch $name:ident [$($done:tt)*] $field:ident : $ty:ty = opt, $($rest:tt)*) => {
        derived!(@munch $name [$($done)*
            #[serde(default, skip_serializing_if = "Option::is_none")] pub $field: Option<$ty>,
        ] $($rest)*);
    };
    (@munch $name:ident [$($done:tt)*]) => {
        #[derive(serde::Serialize, serde::Deserialize)]
        pub struct $name { $($done)* }
    };
}

/// The same struct with the impls `emit/types.rs` writes for it: `req` fields through
/// `read_field`, `opt` ones through `read_optional` (`null` tolerated, the slot being the
/// field itself), and the fields whose type the decoding policy bends (integers, booleans)
/// through `read_lenient` (`reqt`) and `read_optional_lenient` (`optt`).
macro_rules! generated {
    ($name:ident { $($field:ident : $ty:ty = $kind:ident),* $(,)? }) => {
        pub struct $name {
            $( pub $field: generated!(@ty $kind $ty), )*
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut object = crate::runtime::ObjectWriter::new(serializer)?;
                $( generated!(@write $kind object stringify!($field), &self.$field); )*
                object.finish()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::read_object(deserializer)
            }
        }

        impl crate::runtime::ReadObject for $name {
            // An optional field's slot is bound and unused in the error arm.
            #[allow(non_snake_case, unused_variables)]
            fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                $( let mut $field = None; )*
                while let Some(key) = crate::runtime::next_key(&mut map)? {
                    match key.as_str() {
                        $( stringify!($field) => generated!(@read $kind map stringify!($field), &mut $field), )*
                        _ => crate::runtime::skip_field(&mut map),
                    }?;
                }
                // As generated: the required slots checked in one `match` with one error path.
                match ($( $field, )*) {
                    ($( generated!(@present $kind $field), )*) => {
                        Ok(Self { $( $field: generated!(@build $kind $field), )* })
                    }
                    ($( $field, )*) => Err(crate::runtime::missing(&[$( generated!(@check $kind $field), )*])),
                }
            }
        }
    };
    (@ty req $ty:ty) => { $ty };
    (@ty reqt $ty:ty) => { $ty };
    (@ty opt $ty:ty) => { Option<$ty> };
    (@ty optt $ty:ty) => { Option<$ty> };
    (@read req $map:ident $key:expr, $slot:expr) => { crate::runtime::read_field(&mut $map, $key, $slot) };
    (@read reqt $map:ident $key:expr, $slot:expr) => { crate::runtime::read_lenient(&mut $map, $key, "Bench", $slot) };
    (@read opt $map:ident $key:expr, $slot:expr) => { crate::runtime::read_optional(&mut $map, $key, "Bench", $slot) };
    (@read optt $map:ident $key:expr, $slot:expr) => { crate::runtime::read_optional_lenient(&mut $map, $key, "Bench", $slot) };
    (@write req $object:ident $key:expr, $value:expr) => { $object.field($key, $value) };
    (@write reqt $object:ident $key:expr, $value:expr) => { $object.field($key, $value) };
    (@write opt $object:ident $key:expr, $value:expr) => { $object.optional($key, $value) };
    (@write optt $object:ident $key:expr, $value:expr) => { $object.optional($key, $value) };
    (@present req $field:ident) => { Some($field) };
    (@present reqt $field:ident) => { Some($field) };
    (@present opt $field:ident) => { $field };
    (@present optt $field:ident) => { $field };
    (@check req $field:ident) => { (stringify!($field), $field.is_some()) };
    (@check reqt $field:ident) => { (stringify!($field), $field.is_some()) };
    (@check opt $field:ident) => { (stringify!($field), true) };
    (@check optt $field:ident) => { (stringify!($field), true) };
    (@build req $field:ident) => { $field };
    (@build reqt $field:ident) => { $field };
    (@build opt $field:ident) => { $field };
    (@build optt $field:ident) => { $field };
}

/// The benchmark's models, written once for both sides: `$make` is `derived` or `generated`.
macro_rules! models {
    ($make:ident) => {
        $make!(Owner { login: String = req, id: i64 = reqt, site_admin: bool = reqt, email: String = opt, });
        $make!(Repo {
            id: i64 = reqt, name: String = req, full_name: String = req, private: bool = reqt,
            description: String = opt, owner: Owner = req, topics: Vec<String> = opt,
            stars: i64 = reqt, parent: Box<Repo> = opt,
        });
        $make!(SimpleUser {
            login: String = req, id: i64 = reqt, node_id: String = req, avatar_url: String = req,
            gravatar_id: String = opt, url: String = req, html_url: String = req,
            followers_url: String = req, following_url: String = req, gists_url: String = req,
            starred_url: String = req, subscriptions_url: String = req,
            organizations_url: String = req, repos_url: String = req, events_url: String = req,
            received_events_url: String = req, user_type: String = req, site_admin: bool = reqt,
            name: String = opt, email: String = opt, user_view_type: String = opt,
        });
        $make!(License {
            key: String = req, name: String = req, url: String = opt, spdx_id: String = opt,
            node_id: String = req, html_url: String = opt,
        });
        $make!(Permissions {
            admin: bool = reqt, maintain: bool = optt, push: bool = reqt, triage: bool = optt,
            pull: bool = reqt,
        });
        $make!(Repository {
            id: i64 = reqt, node_id: String = req, name: String = req, full_name: String = req,
            license: License = opt, permissions: Permissions = opt, owner: SimpleUser = req,
            private: bool = reqt, html_url: String = req, description: String = opt,
            fork: bool = reqt, url: String = req, archive_url: String = req,
            assignees_url: String = req, blobs_url: String = req, branches_url: String = req,
            collaborators_url: String = req, comments_url: String = req,
            commits_url: String = req, compare_url: String = req, contents_url: String = req,
            contributors_url: String = req, deployments_url: String = req,
            downloads_url: String = req, events_url: String = req, forks_url: String = req,
            git_commits_url: String = req, git_refs_url: String = req,
            git_tags_url: String = req, git_url: String = req, issue_comment_url: String = req,
            issue_events_url: String = req, issues_url: String = req, keys_url: String = req,
            labels_url: String = req, languages_url: String = req, merges_url: String = req,
            milestones_url: String = req, notifications_url: String = req,
            pulls_url: String = req, releases_url: String = req, ssh_url: String = req,
            stargazers_url: String = req, statuses_url: String = req,
            subscribers_url: String = req, subscription_url: String = req,
            tags_url: String = req, teams_url: String = req, trees_url: String = req,
            clone_url: String = req, homepage: String = opt, size: i64 = reqt,
            stargazers_count: i64 = reqt, watchers_count: i64 = reqt, language: String = opt,
            has_issues: bool = reqt, has_projects: bool = reqt, has_wiki: bool = reqt,
            has_pages: bool = reqt, has_downloads: bool = reqt, archived: bool = reqt,
            disabled: bool = reqt, visibility: String = opt, pushed_at: String = opt,
            created_at: String = opt, updated_at: String = opt, topics: Vec<String> = opt,
            forks_count: i64 = reqt, open_issues_count: i64 = reqt, default_branch: String = req,
            allow_forking: bool = optt, is_template: bool = optt,
            parent: Box<Repository> = opt, template_repository: Box<Repository> = opt,
        });
        $make!(Level { name: String = req, id: i64 = reqt, tags: Vec<String> = req, child: Box<Level> = opt, });
    };
}

mod derived {
    models!(derived);
}

mod generated {
    models!(generated);
}

fn owner(id: i64) -> derived::Owner {
    derived::Owner {
        login: format!("user{id}"),
        id,
        site_admin: false,
        email: Some(format!("user{id}@example.com")),
    }
}

/// 5,000 repositories, each with an owner and a parent repository (three levels deep).
fn repos_body() -> Vec<u8> {
    let repos: Vec<derived::Repo> = (0..5000)
        .map(|id| {
            let parent = derived::Repo {
                id: id + 100_000,
                name: "p".repeat(20),
                full_name: "q".repeat(40),
                private: false,
                description: Some("d".repeat(200)),
                owner: owner(0),
                topics: Some(vec!["a".into(), "b".into()]),
                stars: 3,
                parent: None,
            };
            derived::Repo {
                id,
                name: "n".repeat(20),
                full_name: "f".repeat(40),
                private: true,
                description: Some("d".repeat(200)),
                owner: owner(id),
                topics: Some(vec!["rust".into(); 5]),
                stars: 10,
                parent: Some(Box::new(parent)),
            }
        })
        .collect();
    serde_json::to_vec(&repos).expect("the body serializes")
}

/// A repository as GitHub sends it: every `_url` filled in, a few optional fields absent.
fn github_repository(id: i64, parent: Option<derived::Repository>) -> derived::Repository {
    let login = format!("octocat{}", id % 97);
    let base = format!("https://api.github.com/repos/{login}/repo{id}");
    let user = format!("https://api.github.com/users/{login}");
    let url = |tail: &str| format!("{base}/{tail}");
    derived::Repository {
        id,
        node_id: format!("MDEwOlJlcG9zaXRvcnk{id}"),
        name: format!("repo{id}"),
        full_name: format!("{login}/repo{id}"),
        license: Some(derived::License {
            key: "mit".into(),
            name: "MIT License".into(),
            url: Some("https://api.github.com/licenses/mit".into()),
            spdx_id: Some("MIT".into()),
            node_id: "MDc6TGljZW5zZTEz".into(),
            html_url: None,
        }),
        permissions: Some(derived::Permissions {
            admin: false,
            maintain: Some(false),
            push: true,
            triage: Some(true),
            pull: true,
        }),
        owner: derived::SimpleUser {
            login: login.clone(),
            id: id % 97,
            node_id: "MDQ6VXNlcjE=".into(),
            avatar_url: "https://avatars.githubusercontent.com/u/583231?v=4".into(),
            gravatar_id: Some(String::new()),
            url: user.clone(),
            html_url: format!("https://github.com/{login}"),
            followers_url: format!("{user}/followers"),
            following_url: format!("{user}/following{{/other_user}}"),
            gists_url: format!("{user}/gists{{/gist_id}}"),
            starred_url: format!("{user}/starred{{/owner}}{{/repo}}"),
            subscriptions_url: format!("{user}/subscriptions"),
            organizations_url: format!("{user}/orgs"),
            repos_url: format!("{user}/repos"),
            events_url: format!("{user}/events{{/privacy}}"),
            received_events_url: format!("{user}/received_events"),
            user_type: "User".into(),
            site_admin: false,
            name: None,
            email: None,
            user_view_type: Some("public".into()),
        },
        private: false,
        html_url: format!("https://github.com/{login}/repo{id}"),
        description: Some("This your first repo! A description of a few words.".into()),
        fork: parent.is_some(),
        url: base.clone(),
        archive_url: url("{archive_format}{/ref}"),
        assignees_url: url("assignees{/user}"),
        blobs_url: url("git/blobs{/sha}"),
        branches_url: url("branches{/branch}"),
        collaborators_url: url("collaborators{/collaborator}"),
        comments_url: url("comments{/number}"),
        commits_url: url("commits{/sha}"),
        compare_url: url("compare/{base}...{head}"),
        contents_url: url("contents/{+path}"),
        contributors_url: url("contributors"),
        deployments_url: url("deployments"),
        downloads_url: url("downloads"),
        events_url: url("events"),
        forks_url: url("forks"),
        git_commits_url: url("git/commits{/sha}"),
        git_refs_url: url("git/refs{/sha}"),
        git_tags_url: url("git/tags{/sha}"),
        git_url: format!("git:github.com/{login}/repo{id}.git"),
        issue_comment_url: url("issues/comments{/number}"),
        issue_events_url: url("issues/events{/number}"),
        issues_url: url("issues{/number}"),
        keys_url: url("keys{/key_id}"),
        labels_url: url("labels{/name}"),
        languages_url: url("languages"),
        merges_url: url("merges"),
        milestones_url: url("milestones{/number}"),
        notifications_url: url("notifications{?since,all,participating}"),
        pulls_url: url("pulls{/number}"),
        releases_url: url("releases{/id}"),
        ssh_url: format!("git@github.com:{login}/repo{id}.git"),
        stargazers_url: url("stargazers"),
        statuses_url: url("statuses/{sha}"),
        subscribers_url: url("subscribers"),
        subscription_url: url("subscription"),
        tags_url: url("tags"),
        teams_url: url("teams"),
        trees_url: url("git/trees{/sha}"),
        clone_url: format!("https://github.com/{login}/repo{id}.git"),
        homepage: Some("https://github.com".into()),
        size: 108,
        stargazers_count: 80,
        watchers_count: 80,
        language: None,
        has_issues: true,
        has_projects: true,
        has_wiki: true,
        has_pages: false,
        has_downloads: true,
        archived: false,
        disabled: false,
        visibility: Some("public".into()),
        pushed_at: Some("2011-01-26T19:06:43Z".into()),
        created_at: Some("2011-01-26T19:01:12Z".into()),
        updated_at: Some("2011-01-26T19:14:43Z".into()),
        topics: Some(vec![
            "octocat".into(),
            "atom".into(),
            "electron".into(),
            "api".into(),
        ]),
        forks_count: 9,
        open_issues_count: 0,
        default_branch: "master".into(),
        allow_forking: Some(true),
        is_template: Some(false),
        parent: parent.map(Box::new),
        template_repository: None,
    }
}

/// 1,000 forks, each with its parent (a fork of a template repository) and their owners.
fn github_body() -> Vec<u8> {
    let repos: Vec<derived::Repository> = (0..1000)
        .map(|id| {
            let mut template = github_repository(id + 2_000_000, None);
            template.is_template = Some(true);
            let mut parent = github_repository(id + 1_000_000, None);
            parent.template_repository = Some(Box::new(template));
            github_repository(id, Some(parent))
        })
        .collect();
    serde_json::to_vec(&repos).expect("the body serializes")
}

/// About 2 MB of `Level` objects nested `depth` deep.
fn depth_body(depth: usize) -> Vec<u8> {
    let per_level = 64; // bytes of one level's own fields, roughly
    let count = 2_000_000 / (per_level * depth);
    let chains: Vec<derived::Level> = (0..count as i64)
        .map(|id| {
            (0..depth as i64).fold(None, |child, level| {
                Some(derived::Level {
                    name: format!("level{level}"),
                    id: id * 100 + level,
                    tags: vec!["x".into()],
                    child: child.map(Box::new),
                })
            })
        })
        .map(|level| level.expect("depth is at least 1"))
        .collect();
    serde_json::to_vec(&chains).expect("the body serializes")
}

/// Times `derive` and `generated` in turns, `runs` times each after a warm-up: the median
/// time of each, and the median of the pairs' time ratios generated/derive (each pair ran
/// back to back, so a busy machine slows both sides of it alike).
fn median_pair(
    runs: usize,
    mut derive: impl FnMut(),
    mut generated: impl FnMut(),
) -> (Duration, Duration, f64) {
    let time = |work: &mut dyn FnMut()| {
        let start = Instant::now();
        work();
        start.elapsed()
    };
    time(&mut derive);
    time(&mut generated);
    let mut pairs: Vec<(Duration, Duration)> = (0..runs)
        .map(|_| (time(&mut derive), time(&mut generated)))
        .collect();
    let mut ratios: Vec<f64> = pairs
        .iter()
        .map(|(derive, generated)| generated.as_secs_f64() / derive.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    pairs.sort_by_key(|pair| pair.0);
    let derive = pairs[runs / 2].0;
    pairs.sort_by_key(|pair| pair.1);
    (derive, pairs[runs / 2].1, ratios[runs / 2])
}

fn mib_per_s(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / time.as_secs_f64()
}

/// Times decoding and encoding of `body` as `Vec<D>` (derive) and `Vec<G>` (generated),
/// measures each decode's heap peak, and prints one table row.
fn compare<D, G>(label: &str, body: &[u8], runs: usize)
where
    D: serde::Serialize + serde::de::DeserializeOwned,
    G: serde::Serialize + serde::de::DeserializeOwned,
{
    let decode_derived = || serde_json::from_slice::<Vec<D>>(body).expect("derive decodes");
    let decode_generated = || serde_json::from_slice::<Vec<G>>(body).expect("generated decodes");
    let derived_value = decode_derived();
    let generated_value = decode_generated();
    let derived_text = serde_json::to_vec(&derived_value).expect("derive encodes");
    let generated_text = serde_json::to_vec(&generated_value).expect("generated encodes");
    assert_eq!(
        derived_text, generated_text,
        "{label}: both sides write the same JSON"
    );
    let decode = median_pair(runs, || drop(decode_derived()), || drop(decode_generated()));
    // Each side writes into a buffer of its own, allocated once and reused: a fresh `Vec`
    // per run made the allocator's growth and page faults (large blocks come from `mmap`
    // until glibc raises its threshold) the bigger part of the figure, so the ratios swung
    // between 0.3 and 2.3 from one run to the next.
    let mut derived_out = Vec::with_capacity(derived_text.len());
    let mut generated_out = Vec::with_capacity(generated_text.len());
    let encode = median_pair(
        runs,
        || {
            derived_out.clear();
            serde_json::to_writer(&mut derived_out, &derived_value).expect("derive encodes");
        },
        || {
            generated_out.clear();
            serde_json::to_writer(&mut generated_out, &generated_value).expect("generated encodes");
        },
    );
    let peak = [peak_bytes(decode_derived), peak_bytes(decode_generated)];
    let speed = |time: Duration| mib_per_s(body.len(), time);
    println!(
        "| {label} | {:.2} MB | {:.0} | {:.0} | {:.2} | {:.0} | {:.0} | {:.2} | {:.1} | {:.1} |",
        body.len() as f64 / 1e6,
        speed(decode.0),
        speed(decode.1),
        decode.2,
        speed(encode.0),
        speed(encode.1),
        encode.2,
        peak[0] as f64 / 1e6,
        peak[1] as f64 / 1e6,
    );
}

fn main() {
    // `cargo test --benches` runs this binary with `--bench` absent: one quick pass then.
    let benching = std::env::args().any(|arg| arg == "--bench");
    let runs = std::env::var("APIGEN_BENCH_RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(if benching { 15 } else { 1 });
    println!(
        "medians of {runs} runs; time ratio: the median of generated/derive over runs made \
         back to back (below 1: generated is faster)\n"
    );
    println!("| payload | size | decode derive MiB/s | decode generated MiB/s | time ratio | encode derive MiB/s | encode generated MiB/s | time ratio | peak derive MB | peak generated MB |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    compare::<derived::Repo, generated::Repo>("repos", &repos_body(), runs);
    compare::<derived::Repository, generated::Repository>("github", &github_body(), runs);
    for depth in [1, 2, 4, 8, 16] {
        let label = format!("depth {depth}");
        compare::<derived::Level, generated::Level>(&label, &depth_body(depth), runs);
    }
}
