//! Opaque global IDs as GraphQL sees them: the `ID` in and out over
//! [`crate::kernel::ids`], which holds the format and the one decoder. The type prefix lets
//! `node(id:)` find the object and lets mutations refuse an ID of the wrong kind.
//!
//! Every GraphQL type with a global ID implements [`Kind`] (its `KIND` is the name); a
//! resolver decodes an argument with [`key`], naming the kind it expects.

use async_graphql::ID;
use uuid::Uuid;

use crate::kernel::ids as kernel;
pub use crate::kernel::ids::{IdKey, Kind};

/// The global ID of the row of `kind` with UUID `id`.
pub fn encode(kind: &str, id: Uuid) -> ID {
    encode_key(kind, &id.to_string())
}

/// The global ID of an object of `kind` identified by `key`.
pub fn encode_key(kind: &str, key: &str) -> ID {
    ID(kernel::encode(kind, key))
}

/// The key inside `id` when it is a global ID of kind `K`: `ids::key::<Meeting>(&id)`.
pub fn key<K: Kind>(id: &str) -> Option<K::Key> {
    kernel::decode::<K>(id)
}

/// The type name and UUID inside a global ID, if it is one, whatever its kind: for tools and
/// tests; resolvers name the kind they expect ([`key`]).
pub fn decode(id: &str) -> Option<(String, Uuid)> {
    let (kind, key) = kernel::decode_parts(id)?;
    Some((kind, Uuid::from_key(&key)?))
}

/// The UUID when `id` is a global ID of the kind named `kind`, known only at run time: for
/// tools and tests; resolvers name the kind they expect ([`key`]).
pub fn decode_as(id: &str, kind: &str) -> Option<Uuid> {
    kernel::decode_named(id, kind)
}
