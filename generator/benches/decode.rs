//! Criterion benchmark of what generated structs' serde impls cost at run time: decoding a
//! 4.6 MB JSON array of nested objects with the runtime's `ObjectReader` (how generated
//! structs read, see `runtime/object.rs`) against the same structs with serde's derive.
//! The generated impls trade decoding speed for compile time (see the README). Inside this
//! workspace serde_json has `preserve_order` (the generator needs it), which slows both
//! sides; the ratio is the figure to read.
//!
//! ```sh
//! cargo bench -p apigen --bench decode -- --quick
//! ```

// The runtime part itself, not a copy, so the benchmark follows it.
#[allow(dead_code, missing_docs)]
mod object {
    include!("../runtime/object.rs");
}

use criterion::Criterion;
use object::read_object;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct OwnerDerived {
    login: String,
    id: i64,
    site_admin: bool,
    email: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct RepoDerived {
    id: i64,
    name: String,
    full_name: String,
    private: bool,
    description: Option<String>,
    owner: OwnerDerived,
    topics: Option<Vec<String>>,
    stars: i64,
    parent: Option<Box<RepoDerived>>,
}

/// The same shape, read the way generated structs read.
struct Owner {
    _login: String,
    _id: i64,
    _site_admin: bool,
    _email: Option<String>,
}

impl<'de> Deserialize<'de> for Owner {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_object(deserializer, |object| {
            Ok(Self {
                _login: object.required("login")?,
                _id: object.required("id")?,
                _site_admin: object.required("site_admin")?,
                _email: object.optional("email")?,
            })
        })
    }
}

struct Repo {
    _id: i64,
    _name: String,
    _full_name: String,
    _private: bool,
    _description: Option<String>,
    _owner: Owner,
    _topics: Option<Vec<String>>,
    _stars: i64,
    _parent: Option<Box<Repo>>,
}

impl<'de> Deserialize<'de> for Repo {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_object(deserializer, |object| {
            Ok(Self {
                _id: object.required("id")?,
                _name: object.required("name")?,
                _full_name: object.required("full_name")?,
                _private: object.required("private")?,
                _description: object.optional("description")?,
                _owner: object.required("owner")?,
                _topics: object.optional("topics")?,
                _stars: object.required("stars")?,
                _parent: object.optional("parent")?,
            })
        })
    }
}

fn owner(id: i64) -> OwnerDerived {
    OwnerDerived {
        login: format!("user{id}"),
        id,
        site_admin: false,
        email: Some(format!("user{id}@example.com")),
    }
}

/// 5,000 repositories, each with an owner and a parent repository (three levels deep).
fn body() -> Vec<u8> {
    let repos: Vec<RepoDerived> = (0..5000)
        .map(|id| {
            let parent = RepoDerived {
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
            RepoDerived {
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

fn decode(c: &mut Criterion) {
    let body = body();
    let mut group = c.benchmark_group("decode");
    group.throughput(criterion::Throughput::Bytes(body.len() as u64));
    group.bench_function("serde_derive", |b| {
        b.iter(|| serde_json::from_slice::<Vec<RepoDerived>>(&body).expect("decodes"));
    });
    group.bench_function("object_reader", |b| {
        b.iter(|| serde_json::from_slice::<Vec<Repo>>(&body).expect("decodes"));
    });
    group.finish();
}

// What `criterion_group!` and `criterion_main!` expand to, without their undocumented
// public function.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    decode(&mut criterion);
    criterion.final_summary();
}
