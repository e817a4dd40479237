//! Every Rust name the generator emits comes from here.
//!
//! Names from a spec can be anything: keywords (`type`), non-identifiers (`2fa`, `x-next`,
//! `$ref`), or names that collide after case conversion (`userId` and `user_id`). The policy:
//!
//! 1. Case-convert with heck (`PascalCase` types and variants, `snake_case` fields, methods
//!    and arguments); characters that cannot be in an identifier become word breaks.
//! 2. A name that would start with a digit (or is empty) gets a prefix (`x`/`X`).
//! 3. A keyword gets a trailing `_` (`type_`, `Self_`), never a raw identifier, so the name is
//!    the same in every position (fields, arguments, paths).
//! 4. Within one scope ([`Scope`]), a later name equal to an earlier one gets `2`, `3`, ... in
//!    spec order, so the first keeps the plain name and output is stable.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves in any edition, plus the weak keywords that break in some position.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A `PascalCase` type or variant name for `raw`.
pub fn type_name(raw: &str) -> String {
    finish(words(raw).to_upper_camel_case(), "X")
}

/// A `PascalCase` prefix for names made by appending to it (`{prefix}Error`,
/// `{prefix}Response`): [`type_name`] without the trailing `_` a keyword gets, which the
/// appended word makes unneeded (`Self` then `SelfError`, not `Self_Error`).
pub fn type_prefix(raw: &str) -> String {
    let name = type_name(raw);
    match name.strip_suffix('_') {
        Some(keyword) if KEYWORDS.contains(&keyword) => keyword.to_string(),
        _ => name,
    }
}

/// A `snake_case` field, argument or method name for `raw`.
pub fn snake_name(raw: &str) -> String {
    finish(words(raw).to_snake_case(), "x")
}

/// Replaces characters that cannot appear in an identifier with word breaks, and spells out
/// a leading sign so `+1` and `-1` stay distinct.
fn words(raw: &str) -> String {
    let raw = match raw.strip_prefix('-') {
        Some(rest) => format!("minus {rest}"),
        None => match raw.strip_prefix('+') {
            Some(rest) => format!("plus {rest}"),
            None => raw.to_string(),
        },
    };
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn finish(mut name: String, prefix: &str) -> String {
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{prefix}{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// A set of names that must not repeat (the types of a crate, the fields of a struct, the
/// arguments and locals of a method, ...).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` names are already taken (for example a method's locals).
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Takes exactly `name`; false (and nothing taken) if it is taken already.
    pub fn take(&mut self, name: &str) -> bool {
        self.taken.insert(name.to_string())
    }

    /// Takes `name`, or `name2`, `name3`, ... if it is taken.
    pub fn unique(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        // A keyword's trailing `_` is dropped before numbering (`Self_` then `Self2`), which
        // keeps the result a valid, lint-clean name.
        let base = match name.trim_end_matches('_') {
            "" => name.as_str(),
            trimmed => trimmed,
        };
        let mut n = 2;
        loop {
            let candidate = format!("{base}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// The variant name for an HTTP status, from its standard reason phrase.
pub fn status_variant(code: u16) -> String {
    let reason = match code {
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        507 => "InsufficientStorage",
        _ => return format!("Status{code}"),
    };
    reason.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_repairs() {
        assert_eq!(type_name("userMetadata"), "UserMetadata");
        assert_eq!(type_name("spokenLanguage"), "SpokenLanguage");
        assert_eq!(type_name("2fa-config"), "X2faConfig");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(snake_name("emailAddress"), "email_address");
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("x-next"), "x_next");
        assert_eq!(snake_name("$ref"), "ref_");
        assert_eq!(snake_name("+1"), "plus_1");
        assert_eq!(snake_name("-1"), "minus_1");
        assert_eq!(snake_name(""), "x");
        assert_eq!(snake_name("Retry-After"), "retry_after");
        assert_eq!(type_prefix("self"), "Self");
        assert_eq!(type_prefix("match"), "Match");
        assert_eq!(type_prefix("2fa"), "X2fa");
    }

    #[test]
    fn scope_numbers_later_collisions() {
        let mut scope = Scope::with_reserved(&["client"]);
        assert_eq!(scope.unique(snake_name("userId")), "user_id");
        assert_eq!(scope.unique(snake_name("user_id")), "user_id2");
        assert_eq!(scope.unique(snake_name("client")), "client2");
        assert_eq!(scope.unique(type_name("self")), "Self_");
        assert_eq!(scope.unique(type_name("Self")), "Self2");
        assert!(!scope.take("user_id2"));
        assert!(scope.take("user_id3"));
        assert_eq!(scope.unique(snake_name("user_id")), "user_id4");
    }

    #[test]
    fn status_variants() {
        assert_eq!(status_variant(404), "NotFound");
        assert_eq!(status_variant(599), "Status599");
    }
}
