//! Security schemes, reduced to what a caller must supply: Basic, a bearer token (http
//! bearer, OAuth 2.0, OpenID Connect, with the scopes the spec's requirements ask for), or
//! an API key. They document `Client::new`; the runtime's `Credentials` sends them.

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

use super::{AuthKind, AuthScheme, ParamLocation};

/// The spec's security schemes, in order.
pub fn auth(spec: &OpenAPI) -> Vec<AuthScheme> {
    let Some(components) = &spec.components else {
        return Vec::new();
    };
    let mut schemes = Vec::new();
    for (key, scheme) in &components.security_schemes {
        let ReferenceOr::Item(scheme) = scheme else {
            continue;
        };
        let scopes: Vec<String> = spec
            .security
            .iter()
            .flatten()
            .filter_map(|req| req.get(key))
            .flatten()
            .cloned()
            .collect();
        let (kind, doc) = match scheme {
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("basic") => (AuthKind::Basic, description),
            SecurityScheme::HTTP { description, .. } => (AuthKind::Bearer { scopes }, description),
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                (AuthKind::Bearer { scopes }, description)
            }
            SecurityScheme::APIKey {
                location,
                name,
                description,
                ..
            } => {
                let location = match location {
                    openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                    openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                    openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                };
                (
                    AuthKind::ApiKey {
                        location,
                        name: name.clone(),
                    },
                    description,
                )
            }
        };
        schemes.push(AuthScheme {
            key: key.clone(),
            kind,
            doc: doc.clone(),
        });
    }
    schemes
}
