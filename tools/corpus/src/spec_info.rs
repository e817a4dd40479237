//! What the wire run reads from a spec itself, beside what apigen generates: the
//! credentials each operation accepts, and the JSON pointer of a response's schema (for
//! the details of a decode failure).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// The credentials a runner can send: the kinds the generated client supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Auth {
    /// No `Authorization` header.
    None,
    /// HTTP Basic.
    Basic,
    /// A bearer token (http bearer, OAuth 2.0, OpenID Connect).
    Bearer,
}

impl Auth {
    /// The runner's argument for it.
    pub fn argument(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Basic => "basic",
            Self::Bearer => "bearer",
        }
    }

    /// Whether sending `kind` satisfies an operation accepting `accepted`: one that needs
    /// no credentials takes any.
    pub fn satisfies(accepted: &[Auth], kind: Auth) -> bool {
        accepted.contains(&kind) || accepted.contains(&Auth::None)
    }
}

/// The HTTP methods an OpenAPI path item can hold.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The parts of a spec the wire run reads.
#[derive(Debug)]
pub struct SpecInfo {
    document: Value,
}

impl SpecInfo {
    /// Reads a YAML or JSON spec.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let is_json = path.extension().is_some_and(|e| e == "json");
        let document = if is_json {
            serde_json::from_str(&text).map_err(|e| e.to_string())?
        } else {
            serde_yaml::from_str(&text).map_err(|e| e.to_string())?
        };
        Ok(Self { document })
    }

    /// A spec from a JSON value (for tests).
    #[cfg(test)]
    pub fn from_value(document: Value) -> Self {
        Self { document }
    }

    /// API-key headers (and cookies, as `Cookie`) the spec's schemes name, with a dummy
    /// value each, as `name=value` arguments for the runner, which sends them on every
    /// request (the generated client does not send API keys itself).
    pub fn api_key_headers(&self) -> Vec<String> {
        let mut headers = Vec::new();
        let mut cookies = Vec::new();
        for scheme in self.schemes().values() {
            if scheme["type"] != "apiKey" {
                continue;
            }
            let Some(name) = scheme["name"].as_str() else {
                continue;
            };
            match scheme["in"].as_str() {
                Some("header") => headers.push(format!("{name}=wire-api-key")),
                Some("cookie") => cookies.push(format!("{name}=wire-api-key")),
                _ => {}
            }
        }
        if !cookies.is_empty() {
            headers.push(format!("Cookie={}", cookies.join("; ")));
        }
        headers
    }

    fn schemes(&self) -> BTreeMap<&str, &Value> {
        self.document["components"]["securitySchemes"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.as_str(), self.resolve(v)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The credential kinds that satisfy the security requirement of the operation at
    /// `method` `path` (its own, else the document's): `[None]` when it needs none. A
    /// requirement the runner can meet with API-key headers alone counts as `None`.
    pub fn accepted_auth(&self, method: &str, path: &str) -> Vec<Auth> {
        let operation = &self.document["paths"][path][method.to_ascii_lowercase()];
        let requirements = match operation.get("security") {
            Some(own) => own,
            None => &self.document["security"],
        };
        let Some(alternatives) = requirements.as_array().filter(|a| !a.is_empty()) else {
            return vec![Auth::None];
        };
        let schemes = self.schemes();
        let mut accepted = Vec::new();
        for alternative in alternatives {
            let Some(names) = alternative.as_object() else {
                continue;
            };
            // Every scheme of one alternative is needed; API keys travel as headers, so
            // at most one Authorization kind remains.
            let mut kinds = Vec::new();
            let mut possible = true;
            for name in names.keys() {
                let scheme = schemes.get(name.as_str()).copied().unwrap_or(&Value::Null);
                match auth_of(scheme) {
                    Some(Some(kind)) => kinds.push(kind),
                    Some(None) => {}
                    None => possible = false,
                }
            }
            kinds.sort();
            kinds.dedup();
            let kind = match kinds.as_slice() {
                [] => Auth::None,
                [one] => *one,
                _ => continue,
            };
            if possible && !accepted.contains(&kind) {
                accepted.push(kind);
            }
        }
        accepted.sort();
        accepted
    }

    /// Every operation's method and path, in spec order.
    fn operations(&self) -> Vec<(&str, &str)> {
        let Some(paths) = self.document["paths"].as_object() else {
            return Vec::new();
        };
        paths
            .iter()
            .flat_map(|(path, item)| {
                METHODS
                    .iter()
                    .filter(|m| item.get(**m).is_some())
                    .map(move |m| (*m, path.as_str()))
            })
            .collect()
    }

    /// The credential kinds to run with, most used first: the one the most operations
    /// take, then each other kind some operation needs that the earlier ones do not give.
    pub fn auth_kinds(&self) -> Vec<Auth> {
        let accepted: Vec<Vec<Auth>> = self
            .operations()
            .into_iter()
            .map(|(method, path)| self.accepted_auth(method, path))
            .collect();
        let mut kinds = Vec::new();
        loop {
            let unmet: Vec<&Vec<Auth>> = accepted
                .iter()
                .filter(|a| !a.is_empty() && !kinds.iter().any(|k| Auth::satisfies(a, *k)))
                .collect();
            let best = [Auth::Basic, Auth::Bearer]
                .into_iter()
                .map(|kind| (unmet.iter().filter(|a| a.contains(&kind)).count(), kind))
                .filter(|(count, _)| *count > 0)
                .max_by_key(|(count, kind)| (*count, std::cmp::Reverse(*kind)));
            match best {
                Some((_, kind)) => kinds.push(kind),
                None => break,
            }
        }
        if kinds.is_empty() {
            kinds.push(Auth::None);
        }
        kinds
    }

    /// The JSON pointer of the schema of the response `status` of the operation at
    /// `method` `path` (following a response `$ref`), with the schema's own `$ref` if it
    /// has one.
    pub fn response_schema_pointer(&self, method: &str, path: &str, status: u16) -> String {
        let operation_pointer = format!("#/paths/{}/{}", escape(path), method.to_ascii_lowercase());
        let responses = &self.document["paths"][path][method.to_ascii_lowercase()]["responses"];
        let code = status.to_string();
        let range = format!("{}XX", status / 100);
        let Some(key) = [code.as_str(), range.as_str(), "default"]
            .into_iter()
            .find(|k| responses.get(*k).is_some())
        else {
            return format!("{operation_pointer}/responses (no response for {status})");
        };
        let mut pointer = format!("{operation_pointer}/responses/{key}");
        let mut response = &responses[key];
        if let Some(target) = response["$ref"].as_str() {
            pointer = target.to_string();
            response = self.resolve(response);
        }
        let Some(content) = response["content"].as_object() else {
            return format!("{pointer} (no content)");
        };
        let Some((media, media_type)) = content
            .iter()
            .find(|(m, _)| m.contains("json"))
            .or_else(|| content.iter().next())
        else {
            return format!("{pointer}/content (empty)");
        };
        let schema_pointer = format!("{pointer}/content/{}/schema", escape(media));
        match media_type["schema"]["$ref"].as_str() {
            Some(target) => format!("{schema_pointer} ({target})"),
            None => schema_pointer,
        }
    }

    /// The JSON pointer of the schema a decoder's field path leads to, from the response
    /// schema at `schema_pointer` (as [`Self::response_schema_pointer`] gives it): each
    /// field is looked up in `properties`, through `$ref`s, array `items`, map
    /// `additionalProperties` and `allOf`/`oneOf`/`anyOf` members (the decoder's path names
    /// no array index or map key). With the schema's own `$ref` in parentheses; `None` when
    /// a field is in no schema there.
    pub fn field_schema_pointer(&self, schema_pointer: &str, fields: &[&str]) -> Option<String> {
        let mut pointer = schema_pointer
            .split(" (")
            .next()
            .unwrap_or(schema_pointer)
            .to_string();
        self.document.pointer(pointer.strip_prefix('#')?)?;
        for field in fields {
            let mut seen = std::collections::BTreeSet::new();
            pointer = self.find_property(&pointer, field, &mut seen)?;
        }
        let node = self.document.pointer(pointer.strip_prefix('#')?)?;
        Some(match node["$ref"].as_str() {
            Some(target) => format!("{pointer} ({target})"),
            None => pointer,
        })
    }

    /// Where the property `name` of the schema at `pointer` is declared, looking through
    /// references, items, map values and composition; `seen` stops cycles.
    fn find_property(
        &self,
        pointer: &str,
        name: &str,
        seen: &mut std::collections::BTreeSet<String>,
    ) -> Option<String> {
        if !seen.insert(pointer.to_string()) {
            return None;
        }
        let node = self.document.pointer(pointer.strip_prefix('#')?)?;
        if let Some(target) = node["$ref"].as_str() {
            return self.find_property(target, name, seen);
        }
        if node["properties"].get(name).is_some() {
            return Some(format!("{pointer}/properties/{}", escape(name)));
        }
        let inner = ["items", "additionalProperties"]
            .into_iter()
            .filter(|key| node[*key].is_object())
            .map(|key| format!("{pointer}/{key}"));
        let members = ["allOf", "oneOf", "anyOf"].into_iter().flat_map(|key| {
            let count = node[key].as_array().map_or(0, Vec::len);
            (0..count).map(move |index| format!("{pointer}/{key}/{index}"))
        });
        let candidates: Vec<String> = inner.chain(members).collect();
        candidates
            .iter()
            .find_map(|candidate| self.find_property(candidate, name, seen))
    }

    /// `value`, or what its local `$ref` points to (one level).
    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => self.document.pointer(pointer).unwrap_or(value),
            None => value,
        }
    }
}

/// What a security scheme asks of the runner: `Some(Some(kind))` an `Authorization` kind,
/// `Some(None)` an API key it sends as a header or cookie, `None` something it cannot
/// send (an API key in the query, HTTP schemes other than basic and bearer).
fn auth_of(scheme: &Value) -> Option<Option<Auth>> {
    match scheme["type"].as_str()? {
        "http" => match scheme["scheme"].as_str()?.to_ascii_lowercase().as_str() {
            "basic" => Some(Some(Auth::Basic)),
            "bearer" => Some(Some(Auth::Bearer)),
            _ => None,
        },
        "oauth2" | "openIdConnect" => Some(Some(Auth::Bearer)),
        "apiKey" => matches!(scheme["in"].as_str(), Some("header" | "cookie")).then_some(None),
        _ => None,
    }
}

/// A JSON pointer token: `~` as `~0`, `/` as `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> SpecInfo {
        SpecInfo::from_value(json!({
            "security": [{"basic": []}],
            "components": {
                "securitySchemes": {
                    "basic": {"type": "http", "scheme": "basic"},
                    "oauth": {"type": "oauth2"},
                    "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                    "session": {"type": "apiKey", "in": "cookie", "name": "sid"},
                    "queryKey": {"type": "apiKey", "in": "query", "name": "k"},
                    "signed": {"type": "http", "scheme": "signature"}
                },
                "responses": {
                    "Error": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                }
            },
            "paths": {
                "/pets/{id}": {
                    "get": {
                        "responses": {
                            "200": {"content": {"text/plain": {}, "application/json": {"schema": {"type": "object"}}}},
                            "4XX": {"$ref": "#/components/responses/Error"},
                            "204": {"description": "none"}
                        }
                    },
                    "put": {"security": [{"oauth": ["write"]}, {"basic": []}]},
                    "delete": {"security": []},
                    "post": {"security": [{"key": []}, {"queryKey": []}, {"signed": [], "key": []}]},
                    "patch": {"security": [{"oauth": [], "basic": []}]}
                }
            }
        }))
    }

    #[test]
    fn accepted_credentials_follow_the_requirements() {
        let spec = spec();
        assert_eq!(spec.accepted_auth("GET", "/pets/{id}"), vec![Auth::Basic]);
        assert_eq!(
            spec.accepted_auth("put", "/pets/{id}"),
            vec![Auth::Basic, Auth::Bearer]
        );
        assert_eq!(spec.accepted_auth("DELETE", "/pets/{id}"), vec![Auth::None]);
        assert_eq!(spec.accepted_auth("POST", "/pets/{id}"), vec![Auth::None]);
        // Basic and bearer together cannot both be the one Authorization header.
        assert_eq!(
            spec.accepted_auth("PATCH", "/pets/{id}"),
            Vec::<Auth>::new()
        );
    }

    #[test]
    fn credential_kinds_cover_every_operation_most_used_first() {
        // get (global basic), put (bearer or basic), delete (none), post (API key),
        // patch (impossible): basic covers all that can be covered.
        assert_eq!(spec().auth_kinds(), vec![Auth::Basic]);
        let bearer_mostly = SpecInfo::from_value(json!({
            "components": {"securitySchemes": {
                "basic": {"type": "http", "scheme": "basic"},
                "oauth": {"type": "openIdConnect"}
            }},
            "paths": {
                "/a": {"get": {"security": [{"oauth": []}]}, "put": {"security": [{"oauth": []}]}},
                "/b": {"get": {"security": [{"basic": []}]}},
                "/c": {"get": {}}
            }
        }));
        assert_eq!(bearer_mostly.auth_kinds(), vec![Auth::Bearer, Auth::Basic]);
        let open = SpecInfo::from_value(json!({"paths": {"/c": {"get": {}}}}));
        assert_eq!(open.auth_kinds(), vec![Auth::None]);
        assert!(Auth::satisfies(&[Auth::None], Auth::Bearer));
        assert!(!Auth::satisfies(&[Auth::Basic], Auth::Bearer));
    }

    #[test]
    fn api_keys_become_headers_and_a_cookie() {
        assert_eq!(
            spec().api_key_headers(),
            vec!["X-Key=wire-api-key", "Cookie=sid=wire-api-key"]
        );
    }

    #[test]
    fn field_paths_lead_to_their_schemas_through_refs_items_and_composition() {
        let spec = SpecInfo::from_value(json!({
            "components": {"schemas": {
                "Repo": {"allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"properties": {"owner": {"$ref": "#/components/schemas/User"}}}
                ]},
                "Base": {"properties": {"id": {"type": "integer"}}},
                "User": {"anyOf": [{"$ref": "#/components/schemas/User"}, {"properties": {"login": {"type": "string"}}}]},
                "Repos": {"type": "array", "items": {"$ref": "#/components/schemas/Repo"}}
            }}
        }));
        let at = |fields: &[&str]| {
            spec.field_schema_pointer("#/components/schemas/Repos (ignored)", fields)
        };
        assert_eq!(at(&[]).as_deref(), Some("#/components/schemas/Repos"));
        assert_eq!(
            at(&["id"]).as_deref(),
            Some("#/components/schemas/Base/properties/id")
        );
        assert_eq!(
            at(&["owner"]).as_deref(),
            Some("#/components/schemas/Repo/allOf/1/properties/owner (#/components/schemas/User)")
        );
        // Through the self-reference (a cycle) to the member that declares it.
        assert_eq!(
            at(&["owner", "login"]).as_deref(),
            Some("#/components/schemas/User/anyOf/1/properties/login")
        );
        assert_eq!(at(&["owner", "name"]), None);
        assert_eq!(spec.field_schema_pointer("#/nowhere", &[]), None);
    }

    #[test]
    fn response_schema_pointers_follow_refs_and_ranges() {
        let spec = spec();
        assert_eq!(
            spec.response_schema_pointer("GET", "/pets/{id}", 200),
            "#/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema"
        );
        assert_eq!(
            spec.response_schema_pointer("GET", "/pets/{id}", 404),
            "#/components/responses/Error/content/application~1json/schema (#/components/schemas/Error)"
        );
        assert_eq!(
            spec.response_schema_pointer("GET", "/pets/{id}", 204),
            "#/paths/~1pets~1{id}/get/responses/204 (no content)"
        );
        assert_eq!(
            spec.response_schema_pointer("GET", "/pets/{id}", 500),
            "#/paths/~1pets~1{id}/get/responses (no response for 500)"
        );
    }
}
