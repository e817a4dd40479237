//! The Gong users client as generated from `spec/gong-users.yaml` by `build.rs` in this
//! very build (so it always matches the spec), for this package's tests and examples.
//!
//! Downstream projects depend on the checked-in crate in `generated/` instead, which has
//! the same code and none of the generator's dependencies.

include!(concat!(env!("OUT_DIR"), "/gong_users.rs"));
