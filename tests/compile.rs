//! Compile-time tests of the generated client, run with `trybuild`.
//!
//! Three groups, in this order:
//!
//! * `tests/snapshots/*.rs`: snapshot files written by another test. Each must
//!   compile (and run) with warnings denied, so generated code that trips a
//!   lint fails here. The directory may not exist yet; then the group is
//!   empty.
//! * `tests/ui/pass/*.rs`: programs that use the `gong_users` client the way a
//!   downstream project would (building a client, calling operations,
//!   reading responses, matching on errors). They must compile with
//!   `#![deny(warnings)]`; trybuild also runs their `main`, so none of them
//!   touches the network.
//! * `tests/ui/fail/*.rs`: misuse that must not compile. Each has a `.stderr`
//!   file next to it that pins the exact compiler error users get, so a change
//!   to the generated API that makes an error message worse shows up in review.
//!
//! When an error message changes on purpose (new compiler, new generated
//! code), refresh the `.stderr` files with
//!
//! ```text
//! TRYBUILD=overwrite cargo test --test compile
//! ```
//!
//! and read the diff before committing it: each file must still show the one
//! intended error and nothing else.

#[test]
fn compile_tests() {
    let t = trybuild::TestCases::new();
    t.pass("tests/snapshots/*.rs");
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
