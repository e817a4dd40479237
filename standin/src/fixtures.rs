//! Deterministic fixture data for the Gong stand-in, and the RFC 3339 helpers it needs.
//!
//! [`users`] builds the same users every time for the same count: no randomness, no
//! files. Regular users get ids counting up from [`FIRST_USER_ID`] and creation times
//! spread evenly over 2018 to 2024, written with assorted UTC offsets (some with
//! fractional seconds), so that date filters have something to bite on. Three avatar
//! users follow, with 20-digit ids too large for a `u64`, which proves that ids must be
//! handled as strings. Users are ordered by id (numerically, which here is also by
//! string length, then text).
//!
//! Every field of the spec's `UserMetadata` is filled, plus fields the spec does not
//! know (`department` on the user, `extraSetting` in `settings`), so that clients are
//! checked for ignoring unknown fields. Each user's settings history likewise carries a
//! `setting` value outside the spec's enum ([`UNKNOWN_SETTING`]).

use serde_json::{json, Value};

/// The id of the first regular user; the others count up from it.
pub const FIRST_USER_ID: u64 = 234_599_484_848_400;

/// The ids of the three avatar users: 20 digits, larger than `u64::MAX`.
pub const AVATAR_IDS: [&str; 3] = [
    "90000000000000000001",
    "90000000000000000002",
    "90000000000000000003",
];

/// A `setting` value in every settings history that the spec's enum does not list.
pub const UNKNOWN_SETTING: &str = "aiSummariesEnabled";

/// An instant: seconds since the Unix epoch (UTC) and nanoseconds within the second.
/// Ordering compares instants, whatever offset they were written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    pub secs: i64,
    /// Nanoseconds past `secs`, below 1,000,000,000.
    pub nanos: u32,
}

/// One generated user.
#[derive(Debug, Clone, PartialEq)]
pub struct FixtureUser {
    /// The numeric id, as a string.
    pub id: String,
    /// Whether this is an avatar (listed only when avatars are asked for).
    pub avatar: bool,
    /// The creation instant (the `created` field, as an instant).
    pub created: Instant,
    /// The user's `UserMetadata` JSON, including the extra fields.
    pub record: Value,
    /// The user's `userSettingsHistory` entries, oldest first.
    pub settings_history: Vec<Value>,
}

const FIRST_NAMES: [&str; 20] = [
    "Jon",
    "Arya",
    "Sansa",
    "Bran",
    "Tyrion",
    "Cersei",
    "Jaime",
    "Brienne",
    "Samwell",
    "Gilly",
    "Davos",
    "Missandei",
    "Jorah",
    "Ygritte",
    "Theon",
    "Yara",
    "Podrick",
    "Bronn",
    "Varys",
    "Margaery",
];
const LAST_NAMES: [&str; 25] = [
    "Snow",
    "Stark",
    "Lannister",
    "Tarth",
    "Tarly",
    "Seaworth",
    "Mormont",
    "Greyjoy",
    "Payne",
    "Tyrell",
    "Martell",
    "Baratheon",
    "Targaryen",
    "Tully",
    "Arryn",
    "Frey",
    "Bolton",
    "Clegane",
    "Reed",
    "Umber",
    "Karstark",
    "Manderly",
    "Hightower",
    "Redwyne",
    "Florent",
];
const TITLES: [&str; 10] = [
    "Enterprise Account Executive",
    "Account Executive",
    "Sales Development Representative",
    "Customer Success Manager",
    "Sales Engineer",
    "Regional Sales Director",
    "VP of Sales",
    "Revenue Operations Analyst",
    "Sales Enablement Manager",
    "Account Manager",
];
const DEPARTMENTS: [&str; 6] = [
    "Sales",
    "Customer Success",
    "Marketing",
    "Solutions Engineering",
    "Revenue Operations",
    "Enablement",
];
const LANGUAGES: [&str; 8] = [
    "en-US", "en-GB", "es-ES", "fr-FR", "de-DE", "pt-BR", "ja-JP", "he-IL",
];
/// UTC offsets, in minutes, that creation times are written with (0 is written `Z`).
const OFFSETS: [i32; 8] = [-480, -420, 0, 60, 330, 540, -300, 120];
/// 2018-01-01T00:00:00Z and 2025-01-01T00:00:00Z.
const SPREAD_START: i64 = 1_514_764_800;
const SPREAD_END: i64 = 1_735_689_600;
const DAY: i64 = 86_400;

/// Generates `count` regular users followed by the three avatars, ordered by id.
pub fn users(count: usize) -> Vec<FixtureUser> {
    let step = (SPREAD_END - SPREAD_START) / i64::try_from(count.max(1)).unwrap_or(i64::MAX);
    let mut all: Vec<FixtureUser> = (0..count)
        .map(|i| {
            let i64_index = i64::try_from(i).unwrap_or(i64::MAX);
            let jitter = (mix(i as u64) % (step.clamp(2, DAY) as u64 - 1)) as i64;
            let nanos = if i % 5 == 0 {
                (mix(i as u64 ^ 0x5eed) % 1000) as u32 * 1_000_000
            } else {
                0
            };
            let created = Instant {
                secs: SPREAD_START + step.saturating_mul(i64_index) + jitter,
                nanos,
            };
            let manager = if i == 0 { 0 } else { (i - 1) / 10 };
            regular_user(i, created, manager)
        })
        .collect();
    for (k, id) in AVATAR_IDS.iter().enumerate() {
        all.push(avatar_user(k, id));
    }
    all
}

fn regular_user(i: usize, created: Instant, manager: usize) -> FixtureUser {
    let hash = mix(i as u64);
    let first = FIRST_NAMES[i % FIRST_NAMES.len()];
    // (i % 20, (i + i / 20) % 25) is distinct for the first 500 users (gcd(21, 25) = 1).
    let last = LAST_NAMES[(i + i / FIRST_NAMES.len()) % LAST_NAMES.len()];
    let handle = if i < FIRST_NAMES.len() * LAST_NAMES.len() {
        format!("{}.{}", first.to_lowercase(), last.to_lowercase())
    } else {
        format!("{}.{}{i}", first.to_lowercase(), last.to_lowercase())
    };
    let email = format!("{handle}@acme-standin.example");
    let offset = OFFSETS[i % OFFSETS.len()];
    let active = i % 9 != 4;
    let web_recorded = hash & 1 == 0 || i % 3 == 0;
    let emails_imported = hash & 2 == 0;
    let aliases: Vec<String> = match i % 3 {
        0 => Vec::new(),
        1 => vec![format!("{}@acme-standin.example", first.to_lowercase())],
        _ => vec![
            format!("{}@acme-standin.example", first.to_lowercase()),
            format!("{handle}@acme-legacy.example"),
        ],
    };
    let mut meeting_urls = vec![format!(
        "https://zoom.us/j/{}",
        9_000_000_000 + hash % 999_999_999
    )];
    if i % 4 == 1 {
        meeting_urls.push(format!("https://meet.google.com/{}", token(hash, 10)));
    }
    let mut languages =
        vec![json!({ "language": LANGUAGES[i % LANGUAGES.len()], "primary": true })];
    if i % 3 == 1 {
        languages
            .push(json!({ "language": LANGUAGES[(i + 3) % LANGUAGES.len()], "primary": false }));
    }
    let id = (FIRST_USER_ID + i as u64).to_string();
    let record = json!({
        "id": id,
        "emailAddress": email,
        "created": format_rfc3339(created, offset),
        "active": active,
        "emailAliases": aliases,
        "trustedEmailAddress": email,
        "firstName": first,
        "lastName": last,
        "title": TITLES[(hash % TITLES.len() as u64) as usize],
        "phoneNumber": format!("+1 415-555-{:04}", i % 10_000),
        "extension": (100 + i).to_string(),
        "personalMeetingUrls": meeting_urls,
        "settings": {
            "webConferencesRecorded": web_recorded,
            "preventWebConferenceRecording": !web_recorded && hash & 4 == 0,
            "telephonyCallsImported": hash & 8 == 0,
            "emailsImported": emails_imported,
            "preventEmailImport": !emails_imported,
            "nonRecordedMeetingsImported": hash & 16 == 0,
            "gongConnectEnabled": hash & 32 == 0,
            "extraSetting": true,
        },
        // The first user (the CEO) is recorded as their own manager, so every field is filled.
        "managerId": (FIRST_USER_ID + manager as u64).to_string(),
        "meetingConsentPageUrl": format!("https://join.gong.io/acme-standin/{handle}?tkn={}", token(hash, 22)),
        "spokenLanguages": languages,
        "department": DEPARTMENTS[i % DEPARTMENTS.len()],
    });
    let mut history = vec![
        history_entry("webConferencesRecorded", web_recorded, created, DAY, offset),
        history_entry("emailsImported", emails_imported, created, 3 * DAY, offset),
        history_entry(UNKNOWN_SETTING, true, created, 40 * DAY, offset),
    ];
    if i % 2 == 0 {
        history.push(history_entry(
            "callsImported",
            true,
            created,
            90 * DAY,
            offset,
        ));
    }
    if !active {
        history.push(history_entry("active", false, created, 200 * DAY, offset));
    }
    FixtureUser {
        id,
        avatar: false,
        created,
        record,
        settings_history: history,
    }
}

fn avatar_user(k: usize, id: &str) -> FixtureUser {
    let created = Instant {
        secs: SPREAD_START + (400 + 730 * k as i64) * DAY + 3_600 * (9 + k as i64),
        nanos: 0,
    };
    let n = k + 1;
    let record = json!({
        "id": id,
        "emailAddress": format!("support{n}@gong.io"),
        "created": format_rfc3339(created, 0),
        "active": true,
        "emailAliases": [],
        "trustedEmailAddress": format!("support{n}@gong.io"),
        "firstName": "Gong",
        "lastName": format!("Support {n}"),
        "title": "Customer Success Manager (Gong)",
        "phoneNumber": format!("+1 650-555-01{n:02}"),
        "extension": format!("9{n:02}"),
        "personalMeetingUrls": [format!("https://gong.zoom.us/j/77700000{n:02}")],
        "settings": {
            "webConferencesRecorded": false,
            "preventWebConferenceRecording": true,
            "telephonyCallsImported": false,
            "emailsImported": false,
            "preventEmailImport": true,
            "nonRecordedMeetingsImported": false,
            "gongConnectEnabled": false,
            "extraSetting": true,
        },
        "managerId": FIRST_USER_ID.to_string(),
        "meetingConsentPageUrl": format!("https://join.gong.io/gong/support{n}?tkn={}", token(mix(n as u64 + 7_777), 22)),
        "spokenLanguages": [{ "language": "en-US", "primary": true }],
        "department": "Gong Support",
    });
    FixtureUser {
        id: id.to_string(),
        avatar: true,
        created,
        record,
        settings_history: vec![
            history_entry("preventWebConferenceRecording", true, created, 0, 0),
            history_entry(UNKNOWN_SETTING, false, created, 10 * DAY, 0),
        ],
    }
}

fn history_entry(setting: &str, value: bool, base: Instant, after: i64, offset: i32) -> Value {
    let time = Instant {
        secs: base.secs + after,
        nanos: 0,
    };
    json!({ "setting": setting, "value": value, "time": format_rfc3339(time, offset) })
}

/// A cheap, fixed 64-bit mixer (splitmix64's finaliser): deterministic "variety".
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A deterministic alphanumeric token of `len` characters.
fn token(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = mix(state);
            char::from(ALPHABET[(state % ALPHABET.len() as u64) as usize])
        })
        .collect()
}

/// Writes an instant as RFC 3339 in the given UTC offset (minutes; 0 is written `Z`),
/// with milliseconds when the instant has a fraction of a second.
pub fn format_rfc3339(instant: Instant, offset_minutes: i32) -> String {
    let local = instant.secs + i64::from(offset_minutes) * 60;
    let (year, month, day) = civil_from_days(local.div_euclid(DAY));
    let time = local.rem_euclid(DAY);
    let mut out = format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        time / 3_600,
        time % 3_600 / 60,
        time % 60
    );
    if instant.nanos != 0 {
        out.push_str(&format!(".{:03}", instant.nanos / 1_000_000));
    }
    if offset_minutes == 0 {
        out.push('Z');
    } else {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let abs = offset_minutes.unsigned_abs();
        out.push_str(&format!("{sign}{:02}:{:02}", abs / 60, abs % 60));
    }
    out
}

/// Parses an RFC 3339 date-time (`2018-02-18T02:30:00-07:00`, `...08:00:00Z`,
/// `...00.834+05:30`) into an instant; `None` when it is not one.
pub fn parse_rfc3339(text: &str) -> Option<Instant> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0i64, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
        })
    };
    let sep = |at: usize, allowed: &[u8]| b.get(at).is_some_and(|c| allowed.contains(c));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > month_days || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut at = 19;
    let mut nanos = 0u32;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        for (k, &d) in b[at..at + digits].iter().enumerate().take(9) {
            nanos += u32::from(d - b'0') * 10u32.pow(8 - k as u32);
        }
        at += digits;
    }
    let offset = match b.get(at)? {
        b'Z' | b'z' if b.len() == at + 1 => 0,
        sign @ (b'+' | b'-') if b.len() == at + 6 && sep(at + 3, b":") => {
            let (oh, om) = (num(at + 1, 2)?, num(at + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let minutes = oh * 60 + om;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(Instant {
        secs: days * DAY + hour * 3_600 + minute * 60 + second - offset * 60,
        nanos,
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn parses_offsets_fractions_and_z_as_instants() {
        let a = parse_rfc3339("2018-02-18T02:30:00-07:00");
        let b = parse_rfc3339("2018-02-18T09:30:00Z");
        let c = parse_rfc3339("2018-02-18T15:00:00.000+05:30");
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(b.map(|i| i.secs), Some(1_518_946_200));
        let frac = parse_rfc3339("2018-02-18T09:30:00.233692Z");
        assert_eq!(frac.map(|i| i.nanos), Some(233_692_000));
        assert!(frac > b);
        assert_eq!(
            parse_rfc3339("1970-01-01T00:00:00Z"),
            Some(Instant { secs: 0, nanos: 0 })
        );
    }

    #[test]
    fn rejects_malformed_date_times() {
        for bad in [
            "",
            "2018-02-18",
            "2018-02-18T02:30:00",
            "2018-02-30T02:30:00Z",
            "2018-13-01T02:30:00Z",
            "2018-02-18T24:30:00Z",
            "2018-02-18T02:30:00.Z",
            "2018-02-18T02:30:00+0700",
            "2018-02-18T02:30:00Zjunk",
            "2018-02-18T02:30:00+07:00x",
            "２018-02-18T02:30:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_what_it_parses() {
        for user in users(250) {
            let created = user.record["created"].as_str().unwrap_or_default();
            assert_eq!(parse_rfc3339(created), Some(user.created), "{created}");
        }
        let instant = Instant {
            secs: 1_518_946_200,
            nanos: 834_000_000,
        };
        assert_eq!(
            format_rfc3339(instant, 330),
            "2018-02-18T15:00:00.834+05:30"
        );
        assert_eq!(
            format_rfc3339(instant, -480),
            "2018-02-18T01:30:00.834-08:00"
        );
    }

    #[test]
    fn users_are_ordered_distinct_and_spread_over_2018_to_2024() {
        let all = users(250);
        assert_eq!(all.len(), 253);
        assert_eq!(all.iter().filter(|u| u.avatar).count(), 3);
        let ids: HashSet<&str> = all.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids.len(), all.len());
        assert!(all
            .windows(2)
            .all(|w| (w[0].id.len(), &w[0].id) < (w[1].id.len(), &w[1].id)));
        assert!(all.iter().all(|u| u.id.len() <= 20));
        for user in &all {
            assert!(user.created.secs >= SPREAD_START && user.created.secs < SPREAD_END);
            let languages = user.record["spokenLanguages"].as_array().cloned();
            let primaries = languages
                .unwrap_or_default()
                .iter()
                .filter(|l| l["primary"] == true)
                .count();
            assert_eq!(primaries, 1);
            assert!(user
                .settings_history
                .iter()
                .any(|h| h["setting"] == UNKNOWN_SETTING));
        }
        let emails: HashSet<&str> = all
            .iter()
            .filter_map(|u| u.record["emailAddress"].as_str())
            .collect();
        assert_eq!(emails.len(), all.len());
    }

    #[test]
    fn generation_is_deterministic_and_copes_with_edge_counts() {
        assert_eq!(users(40), users(40));
        assert_eq!(users(0).len(), 3);
        assert_eq!(users(1).len(), 4);
        assert_eq!(users(600).len(), 603);
    }
}
