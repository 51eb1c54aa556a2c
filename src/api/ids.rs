//! Opaque global IDs: base64url of `Type:key`, where the key is a row's UUID, or for an
//! object computed rather than stored (an obligation) the facts that identify it for good.
//! Clients must not parse them; the type prefix lets `node(id:)` find the object and lets
//! mutations refuse an ID of the wrong kind.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

pub fn encode(kind: &str, id: Uuid) -> ID {
    encode_key(kind, &id.to_string())
}

/// The global ID of an object of `kind` identified by `key`.
pub fn encode_key(kind: &str, key: &str) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{key}")))
}

/// Longest global ID accepted, in characters: far above any we issue, so that decoding a
/// hostile ID costs nothing.
const MAX_ID_LEN: usize = 200;

/// The type name and key inside a global ID, if it is one.
pub fn decode_key(id: &str) -> Option<(String, String)> {
    if id.len() > MAX_ID_LEN {
        return None;
    }
    let raw = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (kind, key) = text.split_once(':')?;
    Some((kind.to_owned(), key.to_owned()))
}

/// The type name and UUID inside a global ID, if it is one.
pub fn decode(id: &str) -> Option<(String, Uuid)> {
    let (kind, key) = decode_key(id)?;
    Some((kind, Uuid::parse_str(&key).ok()?))
}

/// The UUID when `id` is a global ID of `kind`.
pub fn decode_as(id: &str, kind: &str) -> Option<Uuid> {
    decode(id).filter(|(k, _)| k == kind).map(|(_, u)| u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_carry_their_type() {
        let u = Uuid::now_v7();
        let id = encode("User", u);
        assert_eq!(decode(&id), Some(("User".into(), u)));
        assert_eq!(decode_as(&id, "User"), Some(u));
        assert_eq!(decode_as(&id, "StateParty"), None);
        assert_eq!(decode("not an id"), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("User:not-a-uuid")), None);
        let composite = encode_key("Obligation", "LAO:CLEARANCE:");
        assert_eq!(
            decode_key(&composite),
            Some(("Obligation".into(), "LAO:CLEARANCE:".into()))
        );
        assert_eq!(decode(&composite), None);
        assert_eq!(decode_key(&"A".repeat(MAX_ID_LEN + 1)), None);
    }
}
