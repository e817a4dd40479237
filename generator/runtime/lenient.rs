// Part of the runtime every generated client carries: the decoding policy, what generated
// structs accept from real servers beyond what their schema allows.
//
// Tolerant by default: a field whose type holds a date-time, a date, a number or a boolean
// is read by a visitor that takes the canonical form first (what serde's and chrono's own
// impls take, at the same cost) and only when that fails tries the forms real servers send:
// a date-time as epoch seconds or milliseconds (a number or a digit string), without an
// offset (read as UTC) or as a bare date (midnight UTC); a date with a time part (its
// date, as written); numbers and booleans as strings; an integer written as `10.0`. An
// optional field the schema does not declare nullable reads `null` as absent. Each value
// so tolerated is counted and logged with `tracing` (a warning naming `Type.field`; the
// `null`s at debug level, they are that common), and with strict decoding on, every one of
// them is an error naming the field's path instead. What cannot be read stays an error in
// both modes: a missing required field, `null` in a required non-nullable field, a value
// out of range, text that is no date or number.
//
// The mode is a thread-local flag that only the fallback path reads (the happy path does
// not touch it): the client sets it around decoding a body (`ClientConfig::
// with_strict_decoding`), and `decode_with_policy`/`decode_strictly` set it for callers
// decoding generated types themselves. Any self-describing serde format works (the leaf
// visitors ask for `deserialize_any` where a value may come as a number or as text).

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer};

use super::object::field_error;

/// The decoding mode of this thread, and how many values it tolerated so far.
#[derive(Clone, Copy)]
struct Policy {
    strict: bool,
    tolerated: u32,
}

thread_local! {
    static POLICY: Cell<Policy> = const { Cell::new(Policy { strict: false, tolerated: 0 }) };
}

/// Puts the thread's previous policy back, also when decoding panics.
struct Restore(Policy);

impl Drop for Restore {
    fn drop(&mut self) {
        POLICY.with(|policy| policy.set(self.0));
    }
}

/// Runs `decode` (any decoding of generated types: `serde_json::from_slice`, from a
/// `serde_json::Value`, another self-describing format) with strict decoding on or off,
/// and says how many values the tolerant mode accepted that the schema does not allow
/// (always 0 when strict: each of them is an error instead). The client does this around
/// every body it decodes.
///
/// ```ignore
/// let (user, tolerated) = runtime::decode_with_policy(false, || serde_json::from_str::<User>(text));
/// ```
pub fn decode_with_policy<R>(strict: bool, decode: impl FnOnce() -> R) -> (R, u32) {
    let previous = POLICY.with(|policy| policy.replace(Policy { strict, tolerated: 0 }));
    let restore = Restore(previous);
    let result = decode();
    let tolerated = POLICY.with(|policy| policy.get().tolerated);
    drop(restore);
    (result, tolerated)
}

/// Runs `decode` with strict decoding: every value the schema does not allow fails, naming
/// the field's path, instead of being tolerated.
///
/// ```ignore
/// let user: Result<User, _> = runtime::decode_strictly(|| serde_json::from_str(text));
/// ```
pub fn decode_strictly<R>(decode: impl FnOnce() -> R) -> R {
    decode_with_policy(true, decode).0
}

/// Runs `attempt` (a union's alternatives tried in order) strictly first, then, unless the
/// thread decodes strictly anyway, again with the tolerances: an alternative that fits the
/// value as sent wins over an earlier one that fits it only once bent.
#[doc(hidden)]
pub fn strictly_first<T>(attempt: impl Fn() -> Option<T>) -> Option<T> {
    let outer = POLICY.with(Cell::get);
    if outer.strict {
        return attempt();
    }
    POLICY.with(|policy| {
        policy.set(Policy {
            strict: true,
            ..outer
        })
    });
    // Strict attempts tolerate nothing, so the count put back is still right.
    let restore = Restore(outer);
    let fitted = attempt();
    drop(restore);
    fitted.or_else(attempt)
}

/// Where a value is read: the generated struct and the field (its wire name).
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Place {
    owner: &'static str,
    key: &'static str,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.owner, self.key)
    }
}

/// `what` was read at `place` though the schema does not allow it: an error when strict,
/// else counted and logged as a warning.
#[cold]
#[inline(never)]
fn tolerate<E: serde::de::Error>(place: Place, what: fmt::Arguments<'_>) -> Result<(), E> {
    if count_unless_strict() {
        return Err(E::custom(format_args!("{what} (refused: strict decoding)")));
    }
    tracing::warn!(field = %place, "tolerated {what}, which the schema does not allow");
    Ok(())
}

/// `null` was read at `place`, an optional field the schema does not declare nullable: an
/// error when strict, else counted and logged at debug level (as absent).
#[cold]
#[inline(never)]
fn tolerate_null<E: serde::de::Error>(place: Place) -> Result<(), E> {
    if count_unless_strict() {
        return Err(E::custom(
            "null in a field not declared nullable (refused: strict decoding)",
        ));
    }
    tracing::debug!(field = %place, "tolerated null in a field not declared nullable, read as absent");
    Ok(())
}

/// Whether the thread decodes strictly; when not, one more value was tolerated.
fn count_unless_strict() -> bool {
    POLICY.with(|cell| {
        let mut policy = cell.get();
        if !policy.strict {
            policy.tolerated = policy.tolerated.saturating_add(1);
            cell.set(policy);
        }
        policy.strict
    })
}

/// A type read with the tolerances above: the leaves that have them, and options, boxes,
/// vectors, sets and maps of those.
#[doc(hidden)]
pub trait Lenient: Sized {
    /// Reads the value at `place`.
    fn read_lenient<'de, D: Deserializer<'de>>(deserializer: D, place: Place) -> Result<Self, D::Error>;
}

/// How a field's value (under `Option` for an optional field) is read.
trait ReadAs<'de> {
    type Value;
    fn read<D: Deserializer<'de>>(deserializer: D, place: Place) -> Result<Self::Value, D::Error>;
}

/// With the type's own `Deserialize`.
struct Exact<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> ReadAs<'de> for Exact<T> {
    type Value = T;
    fn read<D: Deserializer<'de>>(deserializer: D, _: Place) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

/// With the tolerances of [`Lenient`].
struct Tolerant<T>(PhantomData<T>);

impl<'de, T: Lenient> ReadAs<'de> for Tolerant<T> {
    type Value = T;
    fn read<D: Deserializer<'de>>(deserializer: D, place: Place) -> Result<T, D::Error> {
        T::read_lenient(deserializer, place)
    }
}

/// Reads one value with `R`.
struct Seed<R>(Place, PhantomData<R>);

impl<R> Seed<R> {
    fn at(place: Place) -> Self {
        Self(place, PhantomData)
    }
}

impl<'de, R: ReadAs<'de>> DeserializeSeed<'de> for Seed<R> {
    type Value = R::Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<R::Value, D::Error> {
        R::read(deserializer, self.0)
    }
}

/// Reads the value of an optional field not declared nullable with `R`: `null` is
/// tolerated as absent.
struct NotNull<R>(Place, PhantomData<R>);

impl<'de, R: ReadAs<'de>> DeserializeSeed<'de> for NotNull<R> {
    type Value = Option<R::Value>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, R: ReadAs<'de>> Visitor<'de> for NotNull<R> {
    type Value = Option<R::Value>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a value")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        tolerate_null(self.0).map(|()| None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        tolerate_null(self.0).map(|()| None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        R::read(deserializer, self.0).map(Some)
    }
}

/// Reads the next value of `map` with `seed` into `slot` (a later duplicate replaces it).
fn store<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
    map: &mut A,
    key: &str,
    seed: S,
    slot: &mut Option<S::Value>,
) -> Result<(), A::Error> {
    match map.next_value_seed(seed) {
        Ok(value) => {
            *slot = Some(value);
            Ok(())
        }
        Err(error) => Err(field_error(key, error)),
    }
}

/// Reads the value of the entry `key` of the struct `owner` into `slot`, with the
/// tolerances of its type. An error names the field.
#[doc(hidden)]
pub fn read_lenient<'de, A: MapAccess<'de>, T: Lenient>(
    map: &mut A,
    key: &'static str,
    owner: &'static str,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    store(map, key, Seed::<Tolerant<T>>::at(Place { owner, key }), slot)
}

/// Reads the value of the optional, non-nullable field `key` of `owner` into `slot`:
/// `null` is tolerated as absent.
#[doc(hidden)]
pub fn read_optional<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    key: &'static str,
    owner: &'static str,
    slot: &mut Option<Option<T>>,
) -> Result<(), A::Error> {
    let seed = NotNull::<Exact<T>>(Place { owner, key }, PhantomData);
    store(map, key, seed, slot)
}

/// [`read_optional`] with the tolerances of the field's type.
#[doc(hidden)]
pub fn read_optional_lenient<'de, A: MapAccess<'de>, T: Lenient>(
    map: &mut A,
    key: &'static str,
    owner: &'static str,
    slot: &mut Option<Option<T>>,
) -> Result<(), A::Error> {
    let seed = NotNull::<Tolerant<T>>(Place { owner, key }, PhantomData);
    store(map, key, seed, slot)
}

// ---------------------------------------------------------------------------------------
// Containers: the tolerances apply to every item.

impl<T: Lenient> Lenient for Option<T> {
    fn read_lenient<'de, D: Deserializer<'de>>(deserializer: D, place: Place) -> Result<Self, D::Error> {
        deserializer.deserialize_option(Nullable::<T>(place, PhantomData))
    }
}

/// An `Option` the schema allows: `null` is `None`.
struct Nullable<T>(Place, PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for Nullable<T> {
    type Value = Option<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a value or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        T::read_lenient(deserializer, self.0).map(Some)
    }
}

impl<T: Lenient> Lenient for Box<T> {
    fn read_lenient<'de, D: Deserializer<'de>>(deserializer: D, place: Place) -> Result<Self, D::Error> {
        T::read_lenient(deserializer, place).map(Box::new)
    }
}

/// Items read one by one into `C` (a vector or a set).
struct Items<C, T>(Place, PhantomData<(C, T)>);

impl<'de, T: Lenient, C: Default + Extend<T>> Visitor<'de> for Items<C, T> {
    type Value = C;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an array")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<C, S::Error> {
        let mut items = C::default();
        while let Some(item) = seq.next_element_seed(Seed::<Tolerant<T>>::at(self.0))? {
            items.extend(Some(item));
        }
        Ok(items)
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn read_lenient<'de, D: Deserializer<'de>>(deserializer: D, place: Place) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(Items::<Self, T>(place, PhantomData))
    }
}

impl<T: Lenient + Ord> Lenient for BTreeSet<T> {
    fn read_lenient<'de, D: Deserializer<'de>>(deserializer: D, place: Place) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(Items::<Self, T>(place, PhantomData))
    }
}

impl<T: Lenient> Lenient for BTreeMap<String, T> {
    fn read_lenient<'de, D: Deserializer<'de>>(deserializer: D, place: Place) -> Result<Self, D::Error> {
        deserializer.deserialize_map(Entries::<T>(place, PhantomData))
    }
}

/// A map's entries, each value read with the tolerances.
struct Entries<T>(Place, PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for Entries<T> {
    type Value = BTreeMap<String, T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Seed::<Tolerant<T>>::at(self.0))?;
            entries.insert(key, value);
        }
        Ok(entries)
    }
}

// ---------------------------------------------------------------------------------------
// Date-times: RFC 3339 (chrono's parser, as its own serde impl), else epoch seconds or
// milliseconds, a date-time without an offset (UTC), or a date (midnight UTC).

/// From here on, an epoch number is read as milliseconds: as seconds it would be after
/// the year 5000, as milliseconds it is after March 1973.
const EPOCH_MILLIS_FROM: i64 = 100_000_000_000;

impl Lenient for DateTime<FixedOffset> {
    fn read_lenient<'de, D: Deserializer<'de>>(deserializer: D, place: Place) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateTimeVisitor(place))
    }
}

struct DateTimeVisitor(Place);

impl DateTimeVisitor {
    /// The date-time `number` seconds (milliseconds from [`EPOCH_MILLIS_FROM`] on) after the
    /// epoch, in UTC.
    fn epoch<E: serde::de::Error>(
        &self,
        number: i64,
        shown: &dyn fmt::Display,
    ) -> Result<DateTime<FixedOffset>, E> {
        let (what, time) = if number.unsigned_abs() >= EPOCH_MILLIS_FROM.unsigned_abs() {
            ("epoch milliseconds", DateTime::from_timestamp_millis(number))
        } else {
            ("epoch seconds", DateTime::from_timestamp(number, 0))
        };
        let time = time.ok_or_else(|| E::custom(format_args!("{what} {shown} out of range")))?;
        tolerate(self.0, format_args!("a date-time as {what} ({shown})"))?;
        Ok(time.fixed_offset())
    }

    /// The date-time of a fractional number of epoch seconds.
    fn epoch_float<E: serde::de::Error>(&self, seconds: f64) -> Result<DateTime<FixedOffset>, E> {
        let whole = seconds.floor();
        let nanos = ((seconds - whole) * 1e9).round().min(999_999_999.0) as u32;
        let time = (whole.is_finite() && whole.abs() < EPOCH_MILLIS_FROM as f64)
            .then(|| DateTime::from_timestamp(whole as i64, nanos))
            .flatten()
            .ok_or_else(|| E::invalid_value(Unexpected::Float(seconds), self))?;
        tolerate(self.0, format_args!("a date-time as epoch seconds ({seconds})"))?;
        Ok(time.fixed_offset())
    }
}

impl Visitor<'_> for DateTimeVisitor {
    type Value = DateTime<FixedOffset>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an RFC 3339 date-time")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
        match text.parse::<DateTime<FixedOffset>>() {
            Ok(time) => Ok(time),
            Err(error) => self.date_time_fallback(text, error),
        }
    }

    fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<Self::Value, E> {
        self.epoch(number, &number)
    }

    fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<Self::Value, E> {
        let signed =
            i64::try_from(number).map_err(|_| E::invalid_value(Unexpected::Unsigned(number), &self))?;
        self.epoch(signed, &number)
    }

    fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<Self::Value, E> {
        self.epoch_float(number)
    }
}

impl DateTimeVisitor {
    /// `text` is no RFC 3339 date-time: the forms tolerated, else chrono's `error`.
    #[cold]
    fn date_time_fallback<E: serde::de::Error>(
        self,
        text: &str,
        error: chrono::ParseError,
    ) -> Result<DateTime<FixedOffset>, E> {
        let trimmed = text.trim();
        if let Ok(number) = trimmed.parse::<i64>() {
            return self.epoch(number, &format_args!("{text:?}"));
        }
        if trimmed.contains('.')
            && trimmed
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        {
            if let Ok(seconds) = trimmed.parse::<f64>() {
                return self.epoch_float(seconds);
            }
        }
        if let Some(time) = naive_date_time(trimmed) {
            tolerate(
                self.0,
                format_args!("a date-time without an offset ({text:?}), read as UTC"),
            )?;
            return Ok(time.and_utc().fixed_offset());
        }
        if let Ok(date) = trimmed.parse::<NaiveDate>() {
            tolerate(
                self.0,
                format_args!("a date where a date-time is declared ({text:?}), read as midnight UTC"),
            )?;
            return Ok(date.and_time(chrono::NaiveTime::MIN).and_utc().fixed_offset());
        }
        Err(E::custom(error))
    }
}

/// `text` as a date and time without an offset (`T` or a space between them).
fn naive_date_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .ok()
}

// ---------------------------------------------------------------------------------------
// Dates: `YYYY-MM-DD`, else a date-time (its date, as written, in its own offset).

impl Lenient for NaiveDate {
    fn read_lenient<'de, D: Deserializer<'de>>(deserializer: D, place: Place) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DateVisitor(place))
    }
}

struct DateVisitor(Place);

impl Visitor<'_> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a date (YYYY-MM-DD)")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        match text.parse::<NaiveDate>() {
            Ok(date) => Ok(date),
            Err(error) => self.date_fallback(text, error),
        }
    }
}

impl DateVisitor {
    /// `text` is no date: a date-time's date, else chrono's `error`.
    #[cold]
    fn date_fallback<E: serde::de::Error>(
        self,
        text: &str,
        error: chrono::ParseError,
    ) -> Result<NaiveDate, E> {
        let trimmed = text.trim();
        let date = trimmed
            .parse::<DateTime<FixedOffset>>()
            .map(|time| time.date_naive())
            .ok()
            .or_else(|| naive_date_time(trimmed).map(|time| time.date()));
        match date {
            Some(date) => {
                tolerate(
                    self.0,
                    format_args!("a date with a time part ({text:?}), read as its date"),
                )?;
                Ok(date)
            }
            None => Err(E::custom(error)),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Numbers and booleans: the value, else the same written as a string.

/// Reads a floating-point number: any number, or a string holding a finite one.
macro_rules! lenient_float {
    ($ty:ty, $visitor:ident) => {
        impl Lenient for $ty {
            fn read_lenient<'de, D: Deserializer<'de>>(
                deserializer: D,
                place: Place,
            ) -> Result<Self, D::Error> {
                deserializer.deserialize_any($visitor(place))
            }
        }

        struct $visitor(Place);

        impl Visitor<'_> for $visitor {
            type Value = $ty;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a number")
            }

            fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<$ty, E> {
                Ok(number as $ty)
            }

            fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<$ty, E> {
                Ok(number as $ty)
            }

            fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<$ty, E> {
                Ok(number as $ty)
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$ty, E> {
                number_text(self.0, text, &self)
            }
        }
    };
}

lenient_float!(f64, F64Visitor);
lenient_float!(f32, F32Visitor);

/// A number written as a string (`"10.0"`), if it is a finite one.
#[cold]
fn number_text<T: std::str::FromStr, E: serde::de::Error>(
    place: Place,
    text: &str,
    expected: &dyn serde::de::Expected,
) -> Result<T, E> {
    let trimmed = text.trim();
    let finite = trimmed.parse::<f64>().is_ok_and(f64::is_finite);
    match trimmed.parse::<T>() {
        Ok(number) if finite => {
            tolerate(place, format_args!("a number as a string ({text:?})"))?;
            Ok(number)
        }
        _ => Err(E::invalid_type(Unexpected::Str(text), expected)),
    }
}

/// Reads an integer: an integer in range, else a number with no fraction (`10.0`) or a
/// string holding either.
macro_rules! lenient_integer {
    ($ty:ty, $visitor:ident) => {
        impl Lenient for $ty {
            fn read_lenient<'de, D: Deserializer<'de>>(
                deserializer: D,
                place: Place,
            ) -> Result<Self, D::Error> {
                deserializer.deserialize_any($visitor(place))
            }
        }

        struct $visitor(Place);

        impl Visitor<'_> for $visitor {
            type Value = $ty;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(stringify!($ty))
            }

            fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<$ty, E> {
                <$ty>::try_from(number).map_err(|_| E::invalid_value(Unexpected::Signed(number), &self))
            }

            fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<$ty, E> {
                <$ty>::try_from(number).map_err(|_| E::invalid_value(Unexpected::Unsigned(number), &self))
            }

            fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<$ty, E> {
                let whole = whole_number(number)
                    .and_then(|whole| <$ty>::try_from(whole).ok())
                    .ok_or_else(|| E::invalid_type(Unexpected::Float(number), &self))?;
                tolerate(self.0, format_args!("an integer written as {number:?}"))?;
                Ok(whole)
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$ty, E> {
                let trimmed = text.trim();
                let whole = trimmed
                    .parse::<$ty>()
                    .ok()
                    .or_else(|| {
                        trimmed
                            .parse::<f64>()
                            .ok()
                            .and_then(whole_number)
                            .and_then(|n| <$ty>::try_from(n).ok())
                    })
                    .ok_or_else(|| E::invalid_type(Unexpected::Str(text), &self))?;
                tolerate(self.0, format_args!("an integer as a string ({text:?})"))?;
                Ok(whole)
            }
        }
    };
}

lenient_integer!(i32, I32Visitor);
lenient_integer!(i64, I64Visitor);
lenient_integer!(u64, U64Visitor);

/// `number` as an integer, when it has no fraction and fits an `i128`.
fn whole_number(number: f64) -> Option<i128> {
    (number.is_finite() && number.fract() == 0.0 && number.abs() < 1.7e38).then_some(number as i128)
}

impl Lenient for bool {
    fn read_lenient<'de, D: Deserializer<'de>>(deserializer: D, place: Place) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BoolVisitor(place))
    }
}

struct BoolVisitor(Place);

impl Visitor<'_> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a boolean")
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<bool, E> {
        Ok(value)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<bool, E> {
        let value = match text.trim() {
            "true" => true,
            "false" => false,
            _ => return Err(E::invalid_type(Unexpected::Str(text), &self)),
        };
        tolerate(self.0, format_args!("a boolean as a string ({text:?})"))?;
        Ok(value)
    }
}
