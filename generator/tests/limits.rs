//! Inputs at the limits: generation must neither overflow the stack nor grow faster than
//! the spec. Each case is called from a thread with a given stack (a test thread's 2 MiB,
//! or less), as a build script or a user's program would call the library; whatever the
//! nesting the readers accept, generation must not overflow it. (The walk over the type
//! graph is also tested on its own with a 256 KiB stack, in `ir::cycles`.)

use std::path::Path;

use serde_json::{json, Value};

/// Generates the crate for `spec`, called from a thread with `stack` bytes of stack; returns the
/// number of generated types and the text of `src/types.rs`.
fn generate_in_small_stack(spec: Value, stack: usize) -> Result<(usize, String), String> {
    let text = spec.to_string();
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            // One crate whatever the number of types, so the models are in `src/types.rs`.
            let settings = apigen::Settings::default().with_types_crate(apigen::TypesCrate::Inline);
            let generated = apigen::generate_str(Path::new("limits.json"), text, &settings)
                .map_err(|e| e.to_string())?;
            let files = generated.crate_files().map_err(|e| e.to_string())?;
            let types = files
                .get(Path::new("src/types.rs"))
                .cloned()
                .unwrap_or_default();
            Ok((generated.api.types.len(), types))
        })
        .map_err(|e| e.to_string())?
        .join()
        .map_err(|_| "generation panicked".to_string())?
}

fn spec_with(schemas: serde_json::Map<String, Value>) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "limits", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    })
}

#[test]
fn every_link_of_a_long_cycle_of_types_is_boxed() {
    // Node0 -> Node1 -> ... -> Node2999 -> Node0, each holding the next by value: every
    // field must be boxed.
    let n = 3000;
    let schemas = (0..n)
        .map(|i| {
            let next = format!("#/components/schemas/Node{}", (i + 1) % n);
            (
                format!("Node{i}"),
                json!({"type": "object", "properties": {"next": {"$ref": next}}}),
            )
        })
        .collect();
    let (count, types) =
        generate_in_small_stack(spec_with(schemas), 256 * 1024).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(count, n);
    assert_eq!(
        // The field declarations (each reader's slot tuple names the type once more).
        types
            .matches("pub next: Option<Box<crate::types::Node")
            .count(),
        n,
        "every link of the cycle is boxed"
    );
}

#[test]
fn nesting_to_the_readers_limit_generates_from_a_2_mib_thread() {
    // Inline objects nested as deep as the JSON reader allows (it refuses more, with a
    // located error): lowering recurses per level, so this bounds its stack use.
    let mut depth = 0;
    let mut last_ok = None;
    for levels in [20, 40, 60, 63] {
        let mut schema = json!({"type": "string"});
        for _ in 0..levels {
            schema = json!({"type": "object", "properties": {"inner": schema}});
        }
        let mut schemas = serde_json::Map::new();
        schemas.insert("Deep".into(), schema);
        match generate_in_small_stack(spec_with(schemas), 2 * 1024 * 1024) {
            Ok((count, _)) => {
                depth = levels;
                last_ok = Some(count);
            }
            Err(e) => assert!(
                e.starts_with("error: limits.json") && e.contains("recursion limit"),
                "{levels} levels: {e}"
            ),
        }
    }
    assert!(
        depth >= 60,
        "nesting of 60 levels must generate (got {depth})"
    );
    assert!(last_ok.is_some_and(|count| count >= depth));
}

#[test]
fn all_of_chains_grow_the_output_linearly() {
    // Step{i} = allOf[Step{i-1}, {its own inline object property}]: each step inherits
    // every earlier inline property. Lowering each inherited inline schema anew would make
    // about n*n/2 types; each is lowered once, so the count stays linear.
    let n = 200;
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "Step0".into(),
        json!({"type": "object", "properties": {"p0": {"type": "object", "properties": {"x": {"type": "string"}}}}}),
    );
    for i in 1..n {
        schemas.insert(
            format!("Step{i}"),
            json!({"allOf": [
                {"$ref": format!("#/components/schemas/Step{}", i - 1)},
                {"type": "object", "properties": {format!("p{i}"): {"type": "object", "properties": {"x": {"type": "integer"}}}}}
            ]}),
        );
    }
    let (count, _) = generate_in_small_stack(spec_with(schemas), 2 * 1024 * 1024)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(count <= 2 * n, "{count} types for {n} steps");
}

#[test]
fn all_of_cycles_between_components_merge_once() {
    // A includes B and B includes A: merged once each, no endless loop.
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "A".into(),
        json!({"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object", "properties": {"a": {"type": "string"}}}]}),
    );
    schemas.insert(
        "B".into(),
        json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object", "properties": {"b": {"type": "string"}}}]}),
    );
    let (_, types) = generate_in_small_stack(spec_with(schemas), 2 * 1024 * 1024)
        .unwrap_or_else(|e| panic!("{e}"));
    for field in ["pub a:", "pub b:"] {
        assert_eq!(
            types.matches(field).count(),
            2,
            "{field} in A and in B once each"
        );
    }
}
