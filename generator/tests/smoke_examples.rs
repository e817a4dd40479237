//! The example values of the smoke-test module (`smoke-tests`), as lowered: which values
//! each operation's call gets, from which source, in which order (the parameter's or media
//! type's own examples, the schema's example, default, first enum value, a value for the
//! format, then a minimal value from the schema's shape), the minimal values built from
//! schemas, and the operations skipped with a reason. Also: the setting in `apigen.toml`
//! and on the command line, and no `smoke` module without it.

use std::path::Path;

use apigen::stages::{ArgTarget, ExampleSource, OperationExamples};
use apigen::{Generated, Settings};
use serde_json::{json, Value};

use ExampleSource::{
    Default, Enum, Format, MediaTypeExample, Minimal, ParameterExample, SchemaExample,
};

fn generate(spec: &str, settings: &Settings) -> Generated {
    apigen::generate_str(Path::new("smoke.yaml"), spec.to_string(), settings)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn with_smoke(spec: &str) -> Generated {
    generate(spec, &Settings::default().with_smoke_tests())
}

/// The example call of the operation `id`.
fn call<'a>(generated: &'a Generated, id: &str) -> &'a OperationExamples {
    let index = generated
        .api
        .operations
        .iter()
        .position(|op| op.operation_id == id)
        .unwrap_or_else(|| panic!("no operation {id}"));
    let examples = generated.smoke_examples().expect("smoke examples");
    &examples[index]
}

/// Each value of the call: its name (the parameter's wire name, or `body`) and its
/// candidates as (source, value).
fn values(generated: &Generated, id: &str) -> Vec<(String, Vec<(ExampleSource, Value)>)> {
    let op = generated
        .api
        .operations
        .iter()
        .find(|op| op.operation_id == id)
        .unwrap_or_else(|| panic!("no operation {id}"));
    let call = call(generated, id);
    assert_eq!(call.skip, None, "{id} is skipped");
    call.args
        .iter()
        .map(|arg| {
            let name = match arg.target {
                ArgTarget::Param(i) => op.params[i].wire_name.clone(),
                ArgTarget::Body => "body".to_string(),
            };
            let candidates = arg
                .candidates
                .iter()
                .map(|c| (c.source, c.value.clone()))
                .collect();
            (name, candidates)
        })
        .collect()
}

const ORDER: &str = r##"
openapi: 3.0.3
info: {title: Order, version: "1"}
paths:
  /items/{a}:
    get:
      operationId: order
      parameters:
        - {name: a, in: path, required: true, example: pa,
           schema: {type: string, example: sa, default: da, enum: [ea, da, sa, pa]}}
        - {name: b, in: query, required: true,
           schema: {type: string, example: sb, default: db, enum: [eb, db, sb]}}
        - {name: c, in: query, required: true,
           schema: {type: string, format: date, default: dc, enum: [ec, dc]}}
        - {name: d, in: query, required: true, schema: {type: string, format: date, enum: [ed]}}
        - {name: e, in: query, required: true, schema: {type: string, format: date}}
        - {name: f, in: query, required: true, schema: {type: string, minLength: 3, maxLength: 4}}
        - {name: g, in: query, schema: {type: integer}}
        - name: h
          in: query
          examples:
            first: {$ref: "#/components/examples/Seven"}
            second: {value: 8}
          schema: {type: integer, format: int32, minimum: 2}
        - name: i
          in: header
          required: true
          content:
            application/json:
              example: {k: 1}
              schema: {type: object}
      responses:
        "204": {description: done}
components:
  examples:
    Seven: {value: 7}
"##;

#[test]
fn each_value_lists_its_sources_in_order() {
    let generated = with_smoke(ORDER);
    let values = values(&generated, "order");
    let expected = vec![
        (
            "a",
            vec![
                (ParameterExample, json!("pa")),
                (SchemaExample, json!("sa")),
                (Enum, json!("ea")),
            ],
        ),
        ("b", vec![(SchemaExample, json!("sb")), (Enum, json!("eb"))]),
        ("c", vec![(Default, json!("dc")), (Enum, json!("ec"))]),
        ("d", vec![(Enum, json!("ed"))]),
        ("e", vec![(Format, json!("2024-01-02"))]),
        ("f", vec![(Minimal, json!("exam"))]),
        // `g` is optional without an example: not sent. `h` is optional with examples.
        (
            "h",
            vec![
                (ParameterExample, json!(7)),
                (ParameterExample, json!(8)),
                (Format, json!(2)),
            ],
        ),
        (
            "i",
            vec![(MediaTypeExample, json!({"k": 1})), (Minimal, json!({}))],
        ),
    ];
    let expected: Vec<(String, Vec<(ExampleSource, Value)>)> = expected
        .into_iter()
        .map(|(name, candidates)| (name.to_string(), candidates))
        .collect();
    assert_eq!(values, expected);
}

const SHAPES: &str = r##"
openapi: 3.0.3
info: {title: Shapes, version: "1"}
paths:
  /widgets:
    post:
      operationId: createWidget
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Widget"}
      responses:
        "204": {description: done}
components:
  schemas:
    Widget:
      type: object
      required: [id, tags, weight, rank, shape, meta, when, loop, data]
      properties:
        id: {type: string, format: uuid}
        tags: {type: array, minItems: 2, items: {type: string, maxLength: 3}}
        weight: {type: integer, minimum: 5, multipleOf: 4}
        rank: {type: number, minimum: 2, exclusiveMinimum: true}
        shape: {$ref: "#/components/schemas/Shape"}
        meta:
          allOf:
            - {$ref: "#/components/schemas/Named"}
            - {type: object, required: [level], properties: {level: {type: integer, maximum: -3}}}
        when: {type: string, format: date-time}
        loop: {$ref: "#/components/schemas/Loop"}
        data: {}
        optional: {type: string}
    Named:
      type: object
      required: [name]
      properties:
        name: {type: string, example: Ann}
    Shape:
      oneOf:
        - {$ref: "#/components/schemas/Circle"}
      discriminator:
        propertyName: kind
        mapping: {round: "#/components/schemas/Circle"}
    Circle:
      type: object
      required: [kind, radius]
      properties:
        kind: {type: string}
        radius: {type: number}
    Loop:
      type: object
      nullable: true
      required: [next]
      properties:
        next: {$ref: "#/components/schemas/Loop"}
"##;

#[test]
fn minimal_values_follow_the_schema() {
    let generated = with_smoke(SHAPES);
    let values = values(&generated, "createWidget");
    assert_eq!(values.len(), 1);
    let (name, candidates) = &values[0];
    assert_eq!(name, "body");
    let widget = json!({
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "tags": ["exa", "exa"],
        "weight": 8,
        "rank": 3.0,
        "shape": {"kind": "round", "radius": 1.0},
        "meta": {"name": "Ann", "level": -3},
        "when": "2024-01-02T03:04:05Z",
        "loop": {"next": null},
        "data": {}
    });
    let mut shapes_only = widget.clone();
    shapes_only["meta"]["name"] = json!("example");
    assert_eq!(
        candidates,
        &vec![(Minimal, widget), (Minimal, shapes_only)],
        "nested examples first, then the shapes alone"
    );
}

const SKIPS: &str = r##"
openapi: 3.0.3
info: {title: Skips, version: "1"}
paths:
  /files:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, note, pages]
              properties:
                file: {type: string, format: binary}
                note: {type: string}
                pages: {type: array, items: {type: string, format: binary}}
                optional: {type: string, format: binary}
      responses:
        "204": {description: done}
  /chains:
    post:
      operationId: chain
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Chain"}
      responses:
        "204": {description: done}
  /notes:
    put:
      operationId: note
      requestBody:
        required: true
        content:
          text/plain:
            example: {not: text}
            schema: {type: string}
      responses:
        "204": {description: done}
    post:
      operationId: maybeNote
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {text: {type: string}}}
      responses:
        "204": {description: done}
components:
  schemas:
    Chain:
      type: object
      required: [next]
      properties:
        next: {$ref: "#/components/schemas/Chain"}
"##;

#[test]
fn operations_that_cannot_be_called_say_why() {
    let generated = with_smoke(SKIPS);
    // A multipart body: an object, its binary fields named as file parts.
    assert_eq!(
        values(&generated, "upload"),
        vec![(
            "body".to_string(),
            vec![(
                Minimal,
                json!({"file": "example", "note": "example", "pages": ["example"]})
            )]
        )]
    );
    assert_eq!(
        call(&generated, "upload").args[0].file_parts,
        vec!["file", "pages", "optional"]
    );
    let chain = call(&generated, "chain")
        .skip
        .as_deref()
        .unwrap_or_default();
    assert!(
        chain.contains("property `next`") && chain.contains("Chain contains itself"),
        "{chain}"
    );
    // A text body's example that is not text is sent as its JSON.
    assert_eq!(
        values(&generated, "note"),
        vec![(
            "body".to_string(),
            vec![
                (MediaTypeExample, json!("{\"not\":\"text\"}")),
                (Minimal, json!("example"))
            ]
        )]
    );
    // An optional body without an example is left out.
    assert_eq!(values(&generated, "maybeNote"), vec![]);
}

#[test]
fn openapi_31_examples_and_const_are_used() {
    let spec = r##"
openapi: 3.1.0
info: {title: Three one, version: "1"}
paths:
  /things:
    get:
      operationId: things
      parameters:
        - {name: kind, in: query, required: true, schema: {type: string, const: fixed}}
        - {name: tag, in: query, required: true, schema: {type: [string, "null"], examples: [x, y]}}
      responses:
        "204": {description: done}
"##;
    let generated = with_smoke(spec);
    assert_eq!(
        values(&generated, "things"),
        vec![
            ("kind".to_string(), vec![(Enum, json!("fixed"))]),
            (
                "tag".to_string(),
                vec![(SchemaExample, json!("x")), (Minimal, json!("example"))]
            ),
        ]
    );
}

#[test]
fn the_module_is_there_only_when_asked_for() {
    let plain = generate(ORDER, &Settings::default());
    assert!(plain.smoke_examples().is_none());
    let files = plain.crate_files().unwrap_or_else(|e| panic!("{e}"));
    assert!(!files.contains_key(Path::new("src/smoke.rs")));
    assert!(!plain
        .single_file()
        .unwrap_or_else(|e| panic!("{e}"))
        .contains("pub mod smoke"));

    let smoke = with_smoke(ORDER);
    let files = smoke.crate_files().unwrap_or_else(|e| panic!("{e}"));
    let module = files.get(Path::new("src/smoke.rs")).expect("src/smoke.rs");
    assert!(
        module.contains("pub async fn run(client: &crate::Client)"),
        "{module}"
    );
    let lib = files.get(Path::new("src/lib.rs")).expect("src/lib.rs");
    assert!(lib.contains("pub mod smoke;"), "{lib}");
    assert!(smoke
        .single_file()
        .unwrap_or_else(|e| panic!("{e}"))
        .contains("pub mod smoke {"));
}

#[test]
fn the_setting_is_read_from_the_file_and_the_flag() {
    let path = Path::new("apigen.toml");
    let on =
        Settings::from_toml_str(path, "smoke-tests = true\n").unwrap_or_else(|e| panic!("{e}"));
    assert!(on.smoke_tests);
    let off = Settings::from_toml_str(path, "").unwrap_or_else(|e| panic!("{e}"));
    assert!(!off.smoke_tests);
    let wrong = Settings::from_toml_str(path, "smoke-tests = \"yes\"\n").unwrap_err();
    assert_eq!(wrong.location.line, Some(1), "{wrong}");
    assert!(
        off.merge(Settings::default().with_smoke_tests())
            .smoke_tests
    );

    let settings = |args: &[&str]| {
        let cli = apigen::cli::parse(args.iter().copied()).unwrap_or_else(|e| panic!("{e}"));
        match cli.command {
            Some(apigen::cli::Command::Generate(job)) => job.job.settings(),
            other => panic!("not generate: {other:?}"),
        }
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let flagged = settings(&["generate", "spec.yaml", "--out", "x", "--smoke-tests"]);
    assert!(flagged.smoke_tests);
    assert!(!settings(&["generate", "spec.yaml", "--out", "x"]).smoke_tests);
}

const FITTING: &str = r##"
openapi: 3.0.3
info: {title: Fitting, version: "1"}
paths:
  /services/{sid}/versions/{version}:
    get:
      operationId: patterned
      parameters:
        - {name: sid, in: path, required: true, example: example,
           schema: {type: string, pattern: "^VA[0-9a-fA-F]{32}$"}}
        - {name: version, in: path, required: true,
           schema: {type: string, pattern: "^\\d+\\.\\d+\\.\\d+([\\-\\+].+)?$", example: latest}}
        - {name: digest, in: query, required: true,
           schema: {type: string, pattern: "^sha256:[a-f0-9]{64}$", format: uuid}}
        - {name: code, in: query, required: true,
           schema: {type: string, pattern: "[a-z]+-[0-9]+", minLength: 8, maxLength: 12}}
        - {name: slug, in: query, required: true,
           schema: {type: string, pattern: "^(?!new$)[a-z]+$"}}
      responses:
        "204": {description: done}
  /checked:
    get:
      operationId: checked
      parameters:
        - {name: colour, in: query, required: true, example: purple,
           schema: {type: string, enum: [red, green], default: blue}}
        - {name: count, in: query, required: true, example: 0,
           schema: {type: integer, minimum: 3, maximum: 9, default: 12}}
        - {name: name, in: query, required: true, example: ab,
           schema: {type: string, minLength: 3, example: abc}}
      responses:
        "204": {description: done}
  /lists:
    get:
      operationId: lists
      parameters:
        - {name: status, in: query, required: true,
           schema: {type: array, items: {type: string, enum: [available, sold]}}}
        - {name: pair, in: query, required: true,
           schema: {type: array, minItems: 2, default: [], items: {type: integer}}}
        - {name: anything, in: query, required: true, schema: {}}
        - {name: maybe, in: query, required: true,
           schema: {type: string, nullable: true, default: null}}
      responses:
        "204": {description: done}
  /workflows/{workflow_id}:
    get:
      operationId: workflow
      parameters:
        - name: workflow_id
          in: path
          required: true
          schema:
            oneOf:
              - {type: integer}
              - {type: string}
      responses:
        "204": {description: done}
"##;

#[test]
fn values_match_the_schemas_pattern() {
    let generated = with_smoke(FITTING);
    let values = values(&generated, "patterned");
    let expected = vec![
        // The parameter's example does not match: passed over for the pattern's shortest match.
        (
            "sid",
            vec![(Minimal, json!(format!("VA{}", "a".repeat(32))))],
        ),
        ("version", vec![(Minimal, json!("0.0.0"))]),
        // The format's value does not match either.
        (
            "digest",
            vec![(Minimal, json!(format!("sha256:{}", "a".repeat(64))))],
        ),
        // Longer repetitions fill the minimum length.
        ("code", vec![(Minimal, json!("aaaaaa-0"))]),
        // A pattern the regex crate cannot read (lookahead) is not followed.
        ("slug", vec![(Minimal, json!("example"))]),
    ];
    let expected: Vec<(String, Vec<(ExampleSource, Value)>)> = expected
        .into_iter()
        .map(|(name, candidates)| (name.to_string(), candidates))
        .collect();
    assert_eq!(values, expected);
}

#[test]
fn candidates_outside_the_schema_are_passed_over() {
    let generated = with_smoke(FITTING);
    assert_eq!(
        values(&generated, "checked"),
        vec![
            // Neither the example nor the default is one of the enum's values.
            ("colour".to_string(), vec![(Enum, json!("red"))]),
            // Both out of bounds: the minimal value within them.
            ("count".to_string(), vec![(Minimal, json!(3))]),
            // Too short: the schema's example instead.
            (
                "name".to_string(),
                vec![(SchemaExample, json!("abc")), (Minimal, json!("example"))]
            ),
        ]
    );
}

#[test]
fn required_parameters_get_a_value_that_is_sent() {
    let generated = with_smoke(FITTING);
    assert_eq!(
        values(&generated, "lists"),
        vec![
            // A required array has an item (an empty one sends `status=`).
            ("status".to_string(), vec![(Minimal, json!(["available"]))]),
            // `[]` breaks minItems; the minimal value has two items.
            ("pair".to_string(), vec![(Minimal, json!([1, 1]))]),
            // Any value: a string, not an empty object (which sends nothing).
            ("anything".to_string(), vec![(Minimal, json!("example"))]),
            // Nullable: null sends nothing, so a string.
            ("maybe".to_string(), vec![(Minimal, json!("example"))]),
        ]
    );
}

#[test]
fn a_one_of_value_matches_one_alternative_only() {
    let generated = with_smoke(FITTING);
    // `1` reads as both an integer and a string in a path: the string alternative's value.
    assert_eq!(
        values(&generated, "workflow"),
        vec![("workflow_id".to_string(), vec![(Minimal, json!("example"))])]
    );
}
