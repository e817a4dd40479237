//! Which operations page, and how: detection of each pattern from what the spec declares,
//! near misses that must not be taken for paging, and `x-pagination` stating a pattern,
//! overriding detection or switching it off. Read through what `apigen generate
//! --report-paging` prints (`Generated::paging_details`/`paging_summary`). Paging at run
//! time is tested over HTTP in the root package's `tests/paging_patterns.rs`.

use std::path::{Path, PathBuf};

use apigen::{Generated, Settings};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate_file(path: &str) -> Generated {
    apigen::generate(&root().join(path), &Settings::default())
        .unwrap_or_else(|e| panic!("{path} generates: {e}"))
}

fn generate_text(text: &str) -> Result<Generated, apigen::Error> {
    apigen::generate_str(
        Path::new("spec.yaml"),
        text.to_string(),
        &Settings::default(),
    )
}

/// The report line of operation `id`, if it pages.
fn line_of<'a>(details: &'a [String], id: &str) -> Option<&'a str> {
    details
        .iter()
        .find(|line| line.starts_with(&format!("{id} (")))
        .map(String::as_str)
}

#[test]
fn each_pattern_is_detected_in_the_fixture_with_its_parameters_and_paths() {
    let generated = generate_file("tests/fixtures/paging.yaml");
    let details = generated.paging_details();
    let expected = [
        "listThings (GET /things): cursor; cursor query `cursor`, next cursor /next_cursor, items /things; detected: query `cursor`, body `/next_cursor`",
        "searchThings (POST /things/search): cursor; cursor request body `cursor`, next cursor /response_metadata/next_cursor, items /matches; detected: request body `cursor`, body `/response_metadata/next_cursor`",
        "listCharges (GET /charges): has-more; last item's `id` as query `starting_after`, has_more /has_more, items /data; detected: query `starting_after`, body `has_more`",
        "listSources (GET /sources): has-more; last item's `id` as query `starting_after`, has_more /has_more, items /data; detected: query `starting_after`, body `has_more`",
        "searchIssues (GET /issues): offset; offset query `startAt`, page size query `maxResults`, total /total, items /issues; detected: query `startAt` + `maxResults`, body total",
        "listNumbers (GET /numbers): page; page query `page`, page size query `per_page`, items (the body); detected: query `page` + `per_page`",
        "listCollisions (GET /collisions): page; page query `page`, page size query `per_page`, items (the body); detected: query `page` + `per_page`",
        "listRepos (GET /repos): link; next URL from the `Link` header, page query `page`, items (the body); detected: header `Link`, query `page`",
        "listContributors (GET /contributors): link; next URL from the `Link` header, page query `page`, items (the body); detected: header `Link`, query `page`",
        "listStargazers (GET /stargazers): link; next URL from the `Link` header, page query `page`, items (the body); detected: header `Link`, query `page`, body a union of arrays",
        "listRows (GET /rows): offset; offset query `from`, page size query `count`, total /size, items /rows; from x-pagination",
    ];
    assert_eq!(details, expected);
    assert_eq!(
        generated.paging_summary(),
        "paging: 11 operations (link 3, cursor 2, has-more 2, offset 2, page 2); 1 from x-pagination"
    );
}

#[test]
fn near_misses_and_x_pagination_false_do_not_page() {
    let details = generate_file("tests/fixtures/paging.yaml").paging_details();
    for id in [
        "listEvents",
        "nearCursorWithoutNext",
        "nearTwoArrays",
        "nearPageWithoutSize",
        "nearOffsetString",
        "nearTwoBodies",
    ] {
        assert_eq!(line_of(&details, id), None, "{id} must not page");
    }
}

#[test]
fn the_gong_specs_x_pagination_keeps_working() {
    let details = generate_file("spec/gong-users.yaml").paging_details();
    assert_eq!(
        details,
        [
            "listUsers (GET /v2/users): cursor; cursor query `cursor`, next cursor /records/cursor, items /users; from x-pagination",
            "listMultipleUsers (POST /v2/users/extensive): cursor; cursor request body `cursor`, next cursor /records/cursor, items /users; from x-pagination",
        ]
    );
}

/// A spec with one GET `/items` whose parameters, body properties and extension are given.
fn one_list(params: &str, body: &str, extension: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /items:
    get:
      operationId: listItems
{extension}
      parameters: [{params}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {{type: array, items: {{type: object, properties: {{id: {{type: string}}}}}}}}
{body}
"
    )
}

const CURSOR_PARAM: &str = "{name: cursor, in: query, schema: {type: string}}";
const NEXT_CURSOR: &str = "                  next_cursor: {type: string}";

#[test]
fn x_pagination_overrides_detection() {
    let stated = "      x-pagination: {pattern: page, page-param: page, per-page-param: size}";
    let params = format!(
        "{CURSOR_PARAM}, {{name: page, in: query, schema: {{type: integer}}}}, {{name: size, in: query, schema: {{type: integer}}}}"
    );
    let detected = generate_text(&one_list(&params, NEXT_CURSOR, "")).expect("generates");
    assert!(
        detected.paging_details()[0].contains("cursor; cursor query `cursor`"),
        "{:?}",
        detected.paging_details()
    );
    let overridden = generate_text(&one_list(&params, NEXT_CURSOR, stated)).expect("generates");
    assert_eq!(
        overridden.paging_details(),
        ["listItems (GET /items): page; page query `page`, page size query `size`, items /items; from x-pagination"]
    );
    let off = generate_text(&one_list(&params, NEXT_CURSOR, "      x-pagination: false"))
        .expect("generates");
    assert!(off.paging_details().is_empty());
    assert_eq!(off.paging_summary(), "paging: 0 operations");
}

#[test]
fn a_cursor_with_a_non_string_next_cursor_is_not_detected() {
    let body = "                  next_cursor: {type: integer}";
    let generated = generate_text(&one_list(CURSOR_PARAM, body, "")).expect("generates");
    assert!(generated.paging_details().is_empty());
}

#[test]
fn two_candidate_next_cursors_are_ambiguous_and_not_detected() {
    let body = "                  next_cursor: {type: string}\n                  nextPageToken: {type: string}";
    let generated = generate_text(&one_list(CURSOR_PARAM, body, "")).expect("generates");
    assert!(generated.paging_details().is_empty());
}

#[test]
fn a_required_paging_parameter_is_not_detected() {
    let params = "{name: cursor, in: query, required: true, schema: {type: string}}";
    let generated = generate_text(&one_list(params, NEXT_CURSOR, "")).expect("generates");
    assert!(generated.paging_details().is_empty());
}

#[test]
fn x_pagination_on_a_required_paging_parameter_is_a_located_error() {
    // Paging sets the parameter for every page, so the caller cannot be made to pass it.
    let cases = [
        (
            "{name: cursor, in: query, required: true, schema: {type: string}}",
            "      x-pagination: {pattern: cursor, cursor-param: cursor, next-cursor: /next_cursor}",
            "x-pagination: parameter `cursor` is set by paging, so it must be optional",
        ),
        (
            "{name: from, in: query, required: true, schema: {type: integer}}, {name: count, in: query, schema: {type: integer}}",
            "      x-pagination: {pattern: offset, offset-param: from, limit-param: count}",
            "x-pagination: parameter `from` is set by paging, so it must be optional",
        ),
    ];
    for (params, extension, message) in cases {
        let error = match generate_text(&one_list(params, NEXT_CURSOR, extension)) {
            Ok(_) => panic!("{extension} over a required parameter must be refused"),
            Err(error) => error,
        };
        assert_eq!(error.message, message, "{extension}");
        assert_eq!(
            error.location.pointer, "#/paths/~1items/get/x-pagination",
            "{extension}"
        );
        assert!(
            error.location.line.is_some(),
            "{extension}: located in the file"
        );
    }
}

#[test]
fn bad_x_pagination_is_a_located_error() {
    let cases = [
        (
            "      x-pagination: {pattern: sideways}",
            "x-pagination: `pattern` must be cursor, has-more, offset, page or link, not \"sideways\"",
        ),
        (
            "      x-pagination: {pattern: offset, offset-param: skip}",
            "x-pagination: no query parameter named `skip`",
        ),
        (
            "      x-pagination: {pattern: cursor, cursor-param: cursor, next-cursor: /missing}",
            "x-pagination: /missing does not lead through object properties",
        ),
        (
            "      x-pagination: {pattern: page, page-param: page, per-page: size}",
            "x-pagination: unknown key `per-page` for pattern `page`",
        ),
        ("      x-pagination: true", "x-pagination: must be `false` or an object"),
    ];
    for (extension, message) in cases {
        let error = match generate_text(&one_list(CURSOR_PARAM, NEXT_CURSOR, extension)) {
            Ok(_) => panic!("{extension} must be refused"),
            Err(error) => error,
        };
        assert_eq!(error.message, message, "{extension}");
        assert_eq!(
            error.location.pointer, "#/paths/~1items/get/x-pagination",
            "{extension}"
        );
        assert!(
            error.location.line.is_some(),
            "{extension}: located in the file"
        );
    }
}

/// A GET `/items` whose 200 is a page and whose 20x `other` response is given.
fn page_or_other(other: &str, extension: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /items:
    get:
      operationId: listItems
{extension}
      parameters: [{{name: from, in: query, schema: {{type: integer}}}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {{type: array, items: {{type: string}}}}
{other}
"
    )
}

#[test]
fn x_pagination_reads_the_one_body_of_a_success_enum_and_refuses_two() {
    let stated = "      x-pagination: {pattern: offset, offset-param: from}";
    let no_content = "        '204': {description: nothing}";
    let generated = generate_text(&page_or_other(no_content, stated)).expect("generates");
    assert_eq!(
        generated.paging_details(),
        ["listItems (GET /items): offset; offset query `from`, items /items; from x-pagination"]
    );
    let accepted = "        '202':\n          description: later\n          content:\n            application/json:\n              schema: {type: object, properties: {eta: {type: integer}}}";
    let error = match generate_text(&page_or_other(accepted, stated)) {
        Ok(_) => panic!("two success bodies must be refused"),
        Err(error) => error,
    };
    assert_eq!(
        error.message,
        "x-pagination: the operation's success statuses differ in their bodies; paging needs \
         one JSON body, the other statuses without one"
    );
    assert_eq!(error.location.pointer, "#/paths/~1items/get/x-pagination");
}

/// Two list operations answering the component union `Stars` (an array of `Plain` or an
/// array of `Starred`), one with a `Link` header and one with page numbers, and a near
/// miss whose union has an alternative that is not an array. `StarsItem` is taken.
const UNION_OF_ARRAYS: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /stars:
    get:
      operationId: listStars
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses:
        '200':
          description: ok
          headers: {Link: {schema: {type: string}}}
          content: {application/json: {schema: {$ref: '#/components/schemas/Stars'}}}
  /users/{name}/stars:
    get:
      operationId: listUserStars
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Stars'}}}
  /mixed:
    get:
      operationId: listMixed
      responses:
        '200':
          description: ok
          headers: {Link: {schema: {type: string}}}
          content:
            application/json:
              schema:
                anyOf:
                  - {type: array, items: {$ref: '#/components/schemas/Plain'}}
                  - {$ref: '#/components/schemas/Plain'}
components:
  schemas:
    StarsItem: {type: string}
    Plain:
      type: object
      required: [id]
      properties: {id: {type: string}}
    Starred:
      type: object
      required: [starred_at, plain]
      properties:
        starred_at: {type: string}
        plain: {$ref: '#/components/schemas/Plain'}
    Stars:
      anyOf:
        - {type: array, items: {$ref: '#/components/schemas/Plain'}}
        - {type: array, items: {$ref: '#/components/schemas/Starred'}}
";

#[test]
fn a_body_union_of_arrays_pages_with_an_item_union_of_the_item_types() {
    let generated = generate_text(UNION_OF_ARRAYS).expect("generates");
    assert_eq!(
        generated.paging_details(),
        [
            "listStars (GET /stars): link; next URL from the `Link` header, page query `page`, items (the body); detected: header `Link`, query `page`, body a union of arrays",
            "listUserStars (GET /users/{name}/stars): page; page query `page`, page size query `per_page`, items (the body); detected: query `page` + `per_page`, body a union of arrays",
        ]
    );
    let code = generated.single_file().expect("formats");
    let squeezed: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    // One item union for the one body union, named after it (`StarsItem` was taken), its
    // variants tried most specific first (`Starred` has more required properties).
    assert_eq!(squeezed.matches("pub enum StarsItem2 {").count(), 1);
    assert!(
        squeezed.contains(
            "pub enum StarsItem2 { Starred(crate::types::Starred), Plain(crate::types::Plain), }"
        ),
        "the item union's variants:\n{code}"
    );
    assert!(squeezed.contains("pub type StarsItem = String;"));
    // Each page's body variant becomes items of the item union's variant for its type.
    for arm in [
        "crate::types::Stars::Array(items) => { items .into_iter() .map(crate::types::StarsItem2::Plain)",
        "crate::types::Stars::Array2(items) => { items .into_iter() .map(crate::types::StarsItem2::Starred)",
    ] {
        assert_eq!(squeezed.matches(arm).count(), 2, "{arm} in both operations");
    }
    // Both builders' `stream()` and both client short forms stream the item union.
    let compact: String = code.split_whitespace().collect();
    assert_eq!(
        compact
            .matches("crate::types::StarsItem2,crate::errors::")
            .count(),
        4
    );
}

#[test]
fn the_unions_a_body_union_of_arrays_pages_through_cannot_be_replaced() {
    for (schema, operation) in [("Stars", "listStars"), ("StarsItem2", "listStars")] {
        let settings = Settings::default().with_replace(schema, "serde_json::Value");
        let error = match apigen::generate_str(
            Path::new("spec.yaml"),
            UNION_OF_ARRAYS.to_string(),
            &settings,
        ) {
            Ok(_) => panic!("replacing `{schema}` must be refused"),
            Err(error) => error,
        };
        assert_eq!(
            error.message,
            format!(
                "cannot replace `{schema}`: operation `{operation}` pages through its fields \
                 (detected paging) (the `types.replace` setting)"
            )
        );
    }
}
