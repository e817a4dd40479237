// Part of the runtime every generated client carries: the leaves of the decoding policy
// (see `lenient`), each read by a visitor that takes the canonical form first, at the cost
// of serde's and chrono's own impls, and only then the forms real servers send, each
// counted and logged (or refused when strict) through `lenient::tolerate`.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::de::{Unexpected, Visitor};
use serde::Deserializer;

use super::lenient::{tolerate, Lenient, Place};

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
