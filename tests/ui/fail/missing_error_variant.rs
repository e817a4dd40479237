//! Error enums are exhaustive: a match that forgets a declared status (here
//! 429 Too Many Requests) does not compile.
use gong_users::errors::GetUserError;

fn describe(error: &GetUserError) -> &'static str {
    match error {
        GetUserError::BadRequest { .. } => "bad request",
        GetUserError::Unauthorized { .. } => "unauthorized",
        GetUserError::NotFound { .. } => "not found",
        GetUserError::InternalServerError { .. } => "server error",
    }
}

fn main() {
    let _ = describe;
}
