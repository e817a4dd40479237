//! The pets client, generated at build time from `spec/`.

include!(concat!(env!("OUT_DIR"), "/pets.rs"));
