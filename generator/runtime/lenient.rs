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

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
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

/// A string enum value the spec does not list, kept as the enum's `Unknown` (servers add
/// values) unless the thread decodes strictly: then it is an error, like every value the
/// schema does not allow. A union trying its alternatives strictly first so passes over an
/// alternative whose enum merely keeps the value as unknown, for the one that lists it.
#[doc(hidden)]
pub fn unknown_enum_value<E: serde::de::Error>(value: String, listed: &'static [&'static str]) -> Result<String, E> {
    if POLICY.with(Cell::get).strict {
        Err(E::unknown_variant(&value, listed))
    } else {
        Ok(value)
    }
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
pub(crate) fn tolerate<E: serde::de::Error>(place: Place, what: fmt::Arguments<'_>) -> Result<(), E> {
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

/// Reads the next value of `map` with `seed`; an error names the field `key`. The callers
/// put it in the field's slot, where a later duplicate replaces it.
fn next_field_value<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
    map: &mut A,
    key: &str,
    seed: S,
) -> Result<S::Value, A::Error> {
    map.next_value_seed(seed).map_err(|error| field_error(key, error))
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
    *slot = Some(next_field_value(map, key, Seed::<Tolerant<T>>::at(Place { owner, key }))?);
    Ok(())
}

/// Reads the value of the optional, non-nullable field `key` of `owner` into `slot`:
/// `null` is tolerated as absent (`None`), as is a missing entry.
#[doc(hidden)]
pub fn read_optional<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    key: &'static str,
    owner: &'static str,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    // The slot is the field itself (a tolerated `null` is `None`), so building the struct
    // needs no call per optional field.
    let seed = NotNull::<Exact<T>>(Place { owner, key }, PhantomData);
    *slot = next_field_value(map, key, seed)?;
    Ok(())
}

/// [`read_optional`] with the tolerances of the field's type.
#[doc(hidden)]
pub fn read_optional_lenient<'de, A: MapAccess<'de>, T: Lenient>(
    map: &mut A,
    key: &'static str,
    owner: &'static str,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    let seed = NotNull::<Tolerant<T>>(Place { owner, key }, PhantomData);
    *slot = next_field_value(map, key, seed)?;
    Ok(())
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
