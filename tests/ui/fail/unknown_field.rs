//! Only fields the spec declares exist on the generated types.
use gong_users::types::UserMetadata;

fn nickname(user: &UserMetadata) -> Option<&str> {
    user.nickname.as_deref()
}

fn main() {
    let _ = nickname(&UserMetadata::default());
}
