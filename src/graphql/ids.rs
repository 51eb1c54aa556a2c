//! Opaque global IDs: base64url of `Type:uuid`. Clients must not parse them; the type
//! prefix lets `node(id:)` find the object and lets mutations refuse an ID of the wrong
//! kind.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

pub fn encode(kind: &str, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{id}")))
}

/// The type name and UUID inside a global ID, if it is one.
pub fn decode(id: &str) -> Option<(String, Uuid)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (kind, uuid) = text.split_once(':')?;
    Some((kind.to_owned(), Uuid::parse_str(uuid).ok()?))
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
    }
}
