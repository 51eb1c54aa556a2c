//! Parsed GraphQL documents kept by their text, so that the operations clients send again and
//! again (the frontends' are fixed: `contract/operations`) are parsed once per server, not once
//! per request. Parsing is the one part of a request's fixed cost that depends on nothing but
//! the text: about 25–55 µs for the contract's operations, where copying a kept document
//! takes about 1 µs (`bench/README.md`). Everything else (the cost checks, validation and
//! execution) runs for every request, with its own variables and viewer.
//!
//! Bounded, since the texts come from clients: a text longer than [`MAX_TEXT_BYTES`] is not
//! kept, and once the kept texts reach [`MAX_TOTAL_BYTES`] the next new one empties the
//! cache first. A client sending ever new texts costs only its own parses.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::Positioned;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationDefinition};
use async_graphql::parser::{Error, parse_query};

/// Longest text kept: the contract's largest operation is about 3 KB.
pub const MAX_TEXT_BYTES: usize = 16 * 1024;
/// Most bytes of text kept in all; the documents take a few times that.
pub const MAX_TOTAL_BYTES: usize = 256 * 1024;

/// One server's parsed documents.
#[derive(Default)]
pub struct Documents {
    held: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    by_text: HashMap<Arc<str>, ExecutableDocument>,
    text_bytes: usize,
}

impl Documents {
    /// `text` parsed: a copy of the kept document, or parsed now (and kept when it parses
    /// and fits).
    pub fn parse(&self, text: &str) -> Result<ExecutableDocument, Error> {
        let keep = text.len() <= MAX_TEXT_BYTES;
        if keep && let Some(doc) = self.lock().by_text.get(text) {
            return Ok(doc.clone());
        }
        let doc = parse_query(text)?;
        if keep {
            let mut held = self.lock();
            if held.text_bytes + text.len() > MAX_TOTAL_BYTES {
                *held = Held::default();
            }
            if held.by_text.insert(Arc::from(text), doc.clone()).is_none() {
                held.text_bytes += text.len();
            }
        }
        Ok(doc)
    }

    /// How many documents are kept, and their texts' bytes.
    pub fn held(&self) -> (usize, usize) {
        let held = self.lock();
        (held.by_text.len(), held.text_bytes)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The operation of `doc` that would run, when there is one: the only one, or the one named
/// (None when a document of several names none of them).
pub fn selected<'a>(
    doc: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_parsed_once_and_the_cache_stays_within_its_bounds() {
        let docs = Documents::default();
        let q = "query Q($id: ID!) { node(id: $id) { id } }";
        let first = docs.parse(q).expect("parses");
        assert_eq!(docs.held(), (1, q.len()));
        let again = docs.parse(q).expect("parses");
        assert_eq!(format!("{first:?}"), format!("{again:?}"));
        assert_eq!(docs.held(), (1, q.len()), "kept once");
        // What does not parse is refused as before and not kept.
        assert!(docs.parse("{ node(").is_err());
        assert_eq!(docs.held().0, 1);
        // Too long to keep: parsed, not kept.
        let long = format!("{{ {} }}", "__typename ".repeat(MAX_TEXT_BYTES / 10));
        assert!(long.len() > MAX_TEXT_BYTES);
        assert!(docs.parse(&long).is_ok());
        assert_eq!(docs.held().0, 1);
        // Ever new texts: the total stays under the bound, and each still parses.
        for i in 0..MAX_TOTAL_BYTES / 100 {
            let text = format!("{{ a{i}: __typename {} }}", " ".repeat(80));
            assert!(docs.parse(&text).is_ok());
            assert!(docs.held().1 <= MAX_TOTAL_BYTES);
        }
        assert!(docs.held().0 < MAX_TOTAL_BYTES / 100, "emptied when full");
    }
}
