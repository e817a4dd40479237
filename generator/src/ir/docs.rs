//! Doc text for generated items, from a schema's or parameter's description, example and
//! default (the emitter turns it into `///` comments).

use openapiv3::Schema;

/// Doc text for a schema: its description, its example, and the server's default.
pub fn schema_doc(schema: &Schema) -> Option<String> {
    let doc = doc_with_example(
        schema.schema_data.description.as_deref(),
        schema.schema_data.example.as_ref(),
    );
    let Some(default) = &schema.schema_data.default else {
        return doc;
    };
    let default = format!("Default (when absent): `{default}`");
    Some(match doc {
        Some(doc) => format!("{doc}\n\n{default}"),
        None => default,
    })
}

/// Joins a description and an example into doc text.
pub fn doc_with_example(
    description: Option<&str>,
    example: Option<&serde_json::Value>,
) -> Option<String> {
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    let example = example.map(|e| match e {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    match (description, example) {
        (None, None) => None,
        (Some(d), None) => Some(d.to_string()),
        (None, Some(e)) => Some(format!("Example: `{e}`")),
        (Some(d), Some(e)) => Some(format!("{d}\n\nExample: `{e}`")),
    }
}
