//! String enums: parsed from wire values, shown as wire values, and open to
//! values the client does not know yet.
#![deny(warnings)]

use gong_users::types::{UserSettingsHistory, UserSettingsHistorySetting};

fn label(setting: &UserSettingsHistorySetting) -> &'static str {
    match setting {
        UserSettingsHistorySetting::WebConferencesRecorded
        | UserSettingsHistorySetting::InterviewsRecorded
        | UserSettingsHistorySetting::CallsImported => "recording",
        UserSettingsHistorySetting::Unknown(_) => "unknown",
        _ => "other",
    }
}

fn main() {
    let known = UserSettingsHistorySetting::from("webConferencesRecorded");
    assert_eq!(known, UserSettingsHistorySetting::WebConferencesRecorded);
    assert_eq!(known.as_str(), "webConferencesRecorded");
    assert_eq!(known.to_string(), "webConferencesRecorded");
    assert_eq!(label(&known), "recording");

    let new = UserSettingsHistorySetting::from("aiSummariesEnabled");
    assert_eq!(
        new,
        UserSettingsHistorySetting::Unknown("aiSummariesEnabled".to_owned())
    );
    assert_eq!(new.as_str(), "aiSummariesEnabled");
    assert_eq!(format!("{new}"), "aiSummariesEnabled");
    assert_eq!(label(&new), "unknown");

    let entry: UserSettingsHistory = serde_json::from_str(
        r#"{"setting": "preventEmailImport", "value": true, "time": "2018-02-19T02:30:00-08:00"}"#,
    )
    .expect("valid entry");
    assert_eq!(
        entry.setting,
        Some(UserSettingsHistorySetting::PreventEmailImport)
    );
    assert_eq!(label(entry.setting.as_ref().expect("present")), "other");
}
