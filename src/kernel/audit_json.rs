//! What an audit entry keeps of a change, so that no write can make the log large: an edit of
//! one field stores that field, and a long value stores its length, its digest and a prefix.
//!
//! - [`delta`]: of an entity's JSON before and after a change, the fields whose values
//!   differ, on both sides (a nested object is compared field by field, a list as one
//!   value), and the entity's `id`, kept on both sides even when it did not change. A field
//!   that appears or disappears is on the one side that has it.
//! - [`bound`]: a string longer than [`MAX_STRING_BYTES`] becomes its cut form; a side still
//!   longer than [`MAX_SIDE_BYTES`] once written has its largest values cut (any value but an
//!   object, largest first) until it fits, and at worst is cut whole. An entry is thus at
//!   most two such sides and its columns: well under 64 KiB, whatever was written.
//! - The cut form of a value is `{"$cut": {"prefix": …, "bytes": …, "sha256": …}}`: its
//!   first [`PREFIX_BYTES`] bytes (to a character boundary), its full length in bytes and the
//!   SHA-256 of its bytes in lower-case hex. For a string, the bytes are its UTF-8 text; for a
//!   list or an object, its compact JSON. The digest says whether two entries saw the same
//!   text, and lets a copy kept elsewhere be checked against the log.
//! - [`same`]: whether an update changes anything at all, its bookkeeping ([`BOOKKEEPING`])
//!   aside; a service that finds nothing changed writes nothing (`uow::unchanged`).

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// Longest string an entry stores as it is.
pub const MAX_STRING_BYTES: usize = 1024;
/// Longest `before` or `after` an entry stores, written as compact JSON.
pub const MAX_SIDE_BYTES: usize = 16 * 1024;
/// How much of a cut value an entry keeps.
pub const PREFIX_BYTES: usize = 256;
/// The key of a cut value's object.
pub const CUT: &str = "$cut";
/// Top-level fields that change with every write and say nothing of what was written: the
/// optimistic-concurrency version and the time of the last write (`updated_at` where an
/// entity's JSON is its row's).
pub const BOOKKEEPING: [&str; 3] = ["version", "updatedAt", "updated_at"];

/// Whether `before` and `after` are equal once their [`BOOKKEEPING`] fields are left out.
pub fn same(before: &Value, after: &Value) -> bool {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let kept = |m: &Map<String, Value>| -> Map<String, Value> {
                m.iter()
                    .filter(|(k, _)| !BOOKKEEPING.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            kept(b) == kept(a)
        }
        _ => before == after,
    }
}

/// The fields of `before` and `after` that differ, as (before, after). Two values that are
/// not both objects are returned as they are.
pub fn delta(before: &Value, after: &Value) -> (Value, Value) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let (mut b, mut a) = fields_that_differ(b, a);
            // The entity's own ID says which entity, on both sides.
            if let Some(id) = before.get("id").or_else(|| after.get("id")) {
                b.insert("id".into(), id.clone());
                a.insert("id".into(), id.clone());
            }
            (Value::Object(b), Value::Object(a))
        }
        _ => (before.clone(), after.clone()),
    }
}

fn fields_that_differ(
    b: &Map<String, Value>,
    a: &Map<String, Value>,
) -> (Map<String, Value>, Map<String, Value>) {
    let (mut db, mut da) = (Map::new(), Map::new());
    for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
        match (b.get(key), a.get(key)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(Value::Object(x)), Some(Value::Object(y))) => {
                let (x, y) = fields_that_differ(x, y);
                db.insert(key.clone(), Value::Object(x));
                da.insert(key.clone(), Value::Object(y));
            }
            (x, y) => {
                if let Some(x) = x {
                    db.insert(key.clone(), x.clone());
                }
                if let Some(y) = y {
                    da.insert(key.clone(), y.clone());
                }
            }
        }
    }
    (db, da)
}

/// `value` bounded as the module says: long strings cut, then the largest values until the
/// whole is at most [`MAX_SIDE_BYTES`].
pub fn bound(value: Value) -> Value {
    let mut value = cut_long_strings(value);
    let mut size = written_len(&value);
    if size <= MAX_SIDE_BYTES {
        return value;
    }
    let mut candidates = Vec::new();
    leaves(&value, &mut Vec::new(), &mut candidates);
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    for (len, path) in candidates {
        if size <= MAX_SIDE_BYTES {
            break;
        }
        if let Some(v) = at_mut(&mut value, &path) {
            let cut = cut(v);
            size = size.saturating_sub(len).saturating_add(written_len(&cut));
            *v = cut;
        }
    }
    if written_len(&value) > MAX_SIDE_BYTES {
        value = cut(&value);
    }
    value
}

/// The cut form of `value` (see the module).
pub fn cut(value: &Value) -> Value {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let digest: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    json!({ CUT: {
        "prefix": prefix(&text, PREFIX_BYTES),
        "bytes": text.len(),
        "sha256": digest,
    }})
}

/// The longest start of `text` of at most `max` bytes that ends on a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn is_cut(value: &Value) -> bool {
    matches!(value, Value::Object(m) if m.len() == 1 && m.contains_key(CUT))
}

fn cut_long_strings(value: Value) -> Value {
    match value {
        Value::String(s) if s.len() > MAX_STRING_BYTES => cut(&Value::String(s)),
        Value::Array(items) => Value::Array(items.into_iter().map(cut_long_strings).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, cut_long_strings(v)))
                .collect(),
        ),
        other => other,
    }
}

/// The written length and the path (object keys) of every value under an object that is
/// not itself an object, nor already cut.
fn leaves(value: &Value, path: &mut Vec<String>, out: &mut Vec<(usize, Vec<String>)>) {
    let Value::Object(m) = value else {
        return;
    };
    for (k, v) in m {
        path.push(k.clone());
        match v {
            Value::Object(_) if !is_cut(v) => leaves(v, path, out),
            Value::Object(_) => {}
            _ => out.push((written_len(v), path.clone())),
        }
        path.pop();
    }
}

fn at_mut<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, k| v.get_mut(k))
}

fn written_len(value: &Value) -> usize {
    value.to_string().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_differs_is_kept_with_the_id() {
        let before = json!({"id": "r1", "status": "DRAFT", "version": 1,
            "sections": {"victimAssistance": "a", "nationalContact": "c"}, "gone": 1});
        let after = json!({"id": "r1", "status": "DRAFT", "version": 2,
            "sections": {"victimAssistance": "b", "nationalContact": "c"}, "new": null});
        let (b, a) = delta(&before, &after);
        assert_eq!(
            b,
            json!({"id": "r1", "version": 1, "sections": {"victimAssistance": "a"}, "gone": 1})
        );
        assert_eq!(
            a,
            json!({"id": "r1", "version": 2, "sections": {"victimAssistance": "b"}, "new": null})
        );
        // A list is one value.
        let (b, a) = delta(&json!({"l": [1, 2]}), &json!({"l": [1, 3]}));
        assert_eq!((b, a), (json!({"l": [1, 2]}), json!({"l": [1, 3]})));
        // Not objects: as they are.
        assert_eq!(delta(&json!(1), &json!(2)), (json!(1), json!(2)));
    }

    #[test]
    fn bookkeeping_alone_is_no_change() {
        let a = json!({"id": 1, "version": 1, "updatedAt": "t1", "title": "x"});
        assert!(same(
            &a,
            &json!({"id": 1, "version": 2, "updatedAt": "t2", "title": "x"})
        ));
        assert!(same(
            &json!({"updated_at": 1, "x": 2}),
            &json!({"updated_at": 3, "x": 2})
        ));
        assert!(!same(
            &a,
            &json!({"id": 1, "version": 1, "updatedAt": "t1", "title": "y"})
        ));
        assert!(!same(
            &a,
            &json!({"id": 1, "version": 1, "updatedAt": "t1"})
        ));
    }

    #[test]
    fn long_strings_keep_a_prefix_their_length_and_digest() {
        let long = "é".repeat(3_000);
        let bounded = bound(json!({"id": 7, "text": long, "short": "kept"}));
        assert_eq!(bounded["short"], "kept");
        assert_eq!(bounded["id"], 7);
        let cut = &bounded["text"][CUT];
        assert_eq!(cut["bytes"], 6_000);
        assert_eq!(cut["prefix"], "é".repeat(128));
        assert_eq!(
            cut["sha256"],
            Sha256::digest(long.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        // A prefix ends on a character boundary.
        assert_eq!(prefix("aé", 2), "a");
        // At the bound, a string is kept.
        let edge = "x".repeat(MAX_STRING_BYTES);
        assert_eq!(bound(json!({"t": edge.clone()}))["t"], edge);
    }

    #[test]
    fn a_side_over_the_bound_has_its_largest_values_cut() {
        let entries: Vec<Value> = (0..500)
            .map(|i| json!({"recipient": format!("R{i}"), "description": "d".repeat(900)}))
            .collect();
        let side = json!({"id": 1, "sections": {"cooperationProvided": entries,
            "stockpiles": [{"munitionType": "M26"}], "victimAssistance": "v"}});
        let bounded = bound(side);
        assert!(written_len(&bounded) <= MAX_SIDE_BYTES, "{bounded}");
        let sections = &bounded["sections"];
        assert!(is_cut(&sections["cooperationProvided"]));
        assert_eq!(sections["stockpiles"][0]["munitionType"], "M26");
        assert_eq!(sections["victimAssistance"], "v");
        // Many small values that do not fit: the side is cut whole.
        let many: Map<String, Value> = (0..5_000).map(|i| (format!("k{i}"), json!(i))).collect();
        let bounded = bound(Value::Object(many));
        assert!(is_cut(&bounded), "{bounded}");
        assert!(written_len(&bounded) <= MAX_SIDE_BYTES);
    }
}
