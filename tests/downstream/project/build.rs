//! The client from a spec split over files, with an overlay and settings: one builder call.

fn main() {
    apigen::Builder::new("spec/api.yaml")
        .config("apigen.toml")
        .file_name("pets.rs")
        .generate_into_out_dir()
        .unwrap_or_else(apigen::builder::fail_build);
}
