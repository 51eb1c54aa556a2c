//! Global IDs, the one decoder: an ID is base64url (no padding) of `Type:key`, where the key
//! is a row's UUID, or for an object computed rather than stored (an obligation) the facts
//! that identify it for good. Clients must not parse them.
//!
//! A caller names the [`Kind`] it expects and gets that kind's typed key back
//! ([`decode`]): the length cap, the base64 and the kind check live here and nowhere else.
//! Only `node(id:)`, which learns the kind from the ID, reads the raw parts
//! ([`decode_parts`]).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

/// Longest global ID accepted, in characters: far above any we issue, so that decoding a
/// hostile ID costs nothing.
pub const MAX_ID_LEN: usize = 200;

/// What follows `Type:` in a global ID.
pub trait IdKey: Sized {
    /// The key written as `key`, when it is one.
    fn from_key(key: &str) -> Option<Self>;
}

/// A stored row's key: its UUID, in the one form we write (lower-case, hyphenated), so that
/// one object has one ID: the braced, URN, simple and upper-case forms Uuid also reads are
/// refused.
impl IdKey for Uuid {
    fn from_key(key: &str) -> Option<Self> {
        let uuid = Uuid::try_parse(key).ok()?;
        let mut canonical = Uuid::encode_buffer();
        (uuid.as_hyphenated().encode_lower(&mut canonical) == key).then_some(uuid)
    }
}

/// A kind of object with a global ID: the type name in the ID and the key it carries.
pub trait Kind {
    /// The type name, `Type` in `Type:key`.
    const NAME: &'static str;
    /// What identifies one object of the kind: a [`Uuid`] for rows.
    type Key: IdKey;
}

/// The global ID of an object of `kind` identified by `key`.
pub fn encode(kind: &str, key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{key}"))
}

/// The key inside `id` when it is a global ID of kind `K`.
pub fn decode<K: Kind>(id: &str) -> Option<K::Key> {
    decode_named(id, K::NAME)
}

/// The key inside `id` when it is a global ID of the kind named `kind`: [`decode`] for a
/// caller that learns the kind at run time (tools, tests).
pub fn decode_named<T: IdKey>(id: &str, kind: &str) -> Option<T> {
    let (found, key) = decode_parts(id)?;
    if found != kind {
        return None;
    }
    T::from_key(&key)
}

/// The type name and the raw key inside a global ID, if it is one; for `node(id:)`, which
/// dispatches on the kind. Everything else goes through [`decode`].
pub fn decode_parts(id: &str) -> Option<(String, String)> {
    if id.len() > MAX_ID_LEN {
        return None;
    }
    let raw = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (kind, key) = text.split_once(':')?;
    Some((kind.to_owned(), key.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_canonical_form_of_an_id_is_read() {
        let key = "0192f3a4-5b6c-7d8e-9f01-23456789abcd";
        let id = encode("User", key);
        assert_eq!(
            decode::<User>(&id).map(|u| u.to_string()).as_deref(),
            Some(key)
        );
        for other in [
            key.to_uppercase(),
            key.replace('-', ""),
            format!("{{{key}}}"),
            format!("urn:uuid:{key}"),
        ] {
            assert_eq!(decode::<User>(&encode("User", &other)), None, "{other}");
        }
        // The same bytes with padding, or with other trailing bits in the last character.
        assert_eq!(decode::<User>(&format!("{id}=")), None);
        let mut bits = id.clone();
        let last = bits.pop().expect("not empty");
        let twin = URL_SAFE_NO_PAD.encode(format!("User:{key}"));
        assert_eq!(twin, id);
        for c in ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'w', 'x', 'y', 'z'] {
            if c != last {
                let other = format!("{bits}{c}");
                if let Some(found) = decode::<User>(&other) {
                    assert_ne!(found.to_string(), key, "{other} decodes to the same key");
                }
            }
        }
    }

    struct User;
    impl Kind for User {
        const NAME: &'static str = "User";
        type Key = Uuid;
    }

    struct State;
    impl Kind for State {
        const NAME: &'static str = "StateParty";
        type Key = Uuid;
    }

    /// A composite key, as obligations have.
    #[derive(Debug, PartialEq)]
    struct Pair(String, String);
    impl IdKey for Pair {
        fn from_key(key: &str) -> Option<Self> {
            let (a, b) = key.split_once(':')?;
            Some(Pair(a.to_owned(), b.to_owned()))
        }
    }
    struct Composite;
    impl Kind for Composite {
        const NAME: &'static str = "Obligation";
        type Key = Pair;
    }

    #[test]
    fn ids_round_trip_and_carry_their_kind() {
        let u = Uuid::now_v7();
        let id = encode(User::NAME, &u.to_string());
        assert_eq!(decode::<User>(&id), Some(u));
        assert_eq!(decode_parts(&id), Some(("User".to_owned(), u.to_string())));
        assert_eq!(decode_named::<Uuid>(&id, "User"), Some(u));
        let composite = encode(Composite::NAME, "LAO:CLEARANCE");
        assert_eq!(
            decode::<Composite>(&composite),
            Some(Pair("LAO".into(), "CLEARANCE".into()))
        );
    }

    #[test]
    fn the_format_is_base64url_of_type_and_key() {
        // Existing clients hold these IDs: the encoding must never change.
        let u = Uuid::parse_str("0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b").unwrap();
        assert_eq!(
            encode("User", &u.to_string()),
            URL_SAFE_NO_PAD.encode("User:0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b")
        );
        assert_eq!(encode("A", "b"), "QTpi");
    }

    #[test]
    fn an_id_of_another_kind_is_refused() {
        let u = Uuid::now_v7();
        let id = encode(User::NAME, &u.to_string());
        assert_eq!(decode::<State>(&id), None);
        assert_eq!(decode_named::<Uuid>(&id, "Use"), None);
        assert_eq!(decode_named::<Uuid>(&id, "Userx"), None);
        assert_eq!(decode_named::<Uuid>(&id, ""), None);
        // A UUID key under a composite kind's name does not parse as its key, and back.
        assert_eq!(decode::<Composite>(&id), None);
        assert_eq!(decode::<User>(&encode("Obligation", "LAO:CLEARANCE")), None);
    }

    #[test]
    fn malformed_ids_are_refused() {
        assert_eq!(decode_parts("not an id"), None);
        assert_eq!(decode_parts("QTpi="), None, "padding is not ours");
        assert_eq!(
            decode_parts("QT+i"),
            None,
            "the standard alphabet is not ours"
        );
        assert_eq!(decode_parts(&URL_SAFE_NO_PAD.encode("no colon")), None);
        assert_eq!(decode::<User>("not an id"), None);
    }

    #[test]
    fn non_utf8_is_refused() {
        let id = URL_SAFE_NO_PAD.encode([b'U', b':', 0xff, 0xfe]);
        assert_eq!(decode_parts(&id), None);
    }

    #[test]
    fn a_uuid_key_that_does_not_parse_is_refused() {
        let id = encode("User", "not-a-uuid");
        assert_eq!(
            decode_parts(&id),
            Some(("User".to_owned(), "not-a-uuid".to_owned()))
        );
        assert_eq!(decode::<User>(&id), None);
        assert_eq!(decode::<User>(&encode("User", "")), None);
    }

    #[test]
    fn over_long_ids_are_refused_before_decoding() {
        assert_eq!(decode_parts(&"A".repeat(MAX_ID_LEN + 1)), None);
        // An ID of exactly the cap is still read: 150 bytes make 200 characters.
        let id = encode("K", &"k".repeat(148));
        assert_eq!(id.len(), MAX_ID_LEN);
        assert!(decode_parts(&id).is_some());
        let long = encode(
            "User",
            &format!("{}{}", Uuid::now_v7(), " ".repeat(MAX_ID_LEN)),
        );
        assert_eq!(decode::<User>(&long), None);
    }
}
