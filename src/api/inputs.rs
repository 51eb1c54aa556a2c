//! Every string a request carries, wherever it is going: no control character but tab and
//! line breaks. Checked once over the document's literals and the variables, before anything
//! runs, so that a NUL byte never reaches a database (PostgreSQL refuses it in text and the
//! request would fail as a fault; SQLite stores it) whatever field or argument it is sent to,
//! email and password included. Each field's own rule (`kernel::validate`) then says whether
//! its text may span lines.

use async_graphql::parser::types::{Directive, ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Positioned, Variables};
use async_graphql_value::{ConstValue, Name, Value};

use super::limits::Refusal;

/// `extensions.code` of a request refused for a control character.
pub const INVALID_INPUT: &str = "INVALID_INPUT";

/// True for a character no input may hold: a control character other than tab, line feed
/// and carriage return.
fn forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn refusal(at: &str) -> Refusal {
    Refusal {
        code: INVALID_INPUT,
        message: format!(
            "`{at}` holds a control character (NUL, say): only tab and line breaks are \
             allowed in text."
        ),
    }
}

/// Ok when no string literal of `doc` and no string in `variables` holds a forbidden
/// character; else the refusal names where the first one is (`$input.title`, or
/// `argument` for a literal). The path is built only for a refusal: a clean request
/// allocates nothing here.
pub fn check_strings(doc: &ExecutableDocument, variables: &Variables) -> Result<(), Refusal> {
    let dirty = variables
        .iter()
        .find_map(|(name, value)| const_dirty(value).map(|p| format!("${name}{p}")))
        .or_else(|| {
            doc.operations.iter().find_map(|(_, op)| {
                op.node
                    .variable_definitions
                    .iter()
                    .find_map(|d| {
                        let default = &d.node.default_value.as_ref()?.node;
                        const_dirty(default).map(|p| format!("${}{p}", d.node.name.node))
                    })
                    .or_else(|| directives_dirty(&op.node.directives))
                    .or_else(|| selection_dirty(&op.node.selection_set.node))
            })
        })
        .or_else(|| {
            doc.fragments.values().find_map(|f| {
                directives_dirty(&f.node.directives)
                    .or_else(|| selection_dirty(&f.node.selection_set.node))
            })
        });
    match dirty {
        Some(at) => Err(refusal(&at)),
        None => Ok(()),
    }
}

fn arguments_dirty(arguments: &[(Positioned<Name>, Positioned<Value>)]) -> Option<String> {
    arguments
        .iter()
        .find_map(|(name, v)| value_dirty(&v.node).map(|p| format!("{}{p}", name.node)))
}

fn selection_dirty(set: &SelectionSet) -> Option<String> {
    set.items.iter().find_map(|item| match &item.node {
        Selection::Field(f) => arguments_dirty(&f.node.arguments)
            .or_else(|| directives_dirty(&f.node.directives))
            .or_else(|| selection_dirty(&f.node.selection_set.node)),
        Selection::FragmentSpread(s) => directives_dirty(&s.node.directives),
        Selection::InlineFragment(i) => directives_dirty(&i.node.directives)
            .or_else(|| selection_dirty(&i.node.selection_set.node)),
    })
}

fn directives_dirty(directives: &[Positioned<Directive>]) -> Option<String> {
    directives
        .iter()
        .find_map(|d| arguments_dirty(&d.node.arguments))
}

/// Defines `$name`, which gives the path inside a value of `$ty` to its first string that
/// holds a forbidden character (`""` for the value itself), or None when it is clean. The
/// document's values (`Value`, which may hold variables) and the variables'
/// (`ConstValue`) are two types of the same shape.
macro_rules! dirty_walk {
    ($name:ident, $ty:ident) => {
        fn $name(v: &$ty) -> Option<String> {
            match v {
                $ty::String(s) => s.chars().any(forbidden).then(String::new),
                $ty::List(items) => items
                    .iter()
                    .enumerate()
                    .find_map(|(i, item)| $name(item).map(|p| format!("[{i}]{p}"))),
                $ty::Object(fields) => fields
                    .iter()
                    .find_map(|(name, item)| $name(item).map(|p| format!(".{name}{p}"))),
                _ => None,
            }
        }
    };
}

dirty_walk!(value_dirty, Value);
dirty_walk!(const_dirty, ConstValue);

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn check(query: &str, variables: serde_json::Value) -> Result<(), Refusal> {
        let doc = parse_query(query).expect("parses");
        check_strings(&doc, &Variables::from_json(variables))
    }

    #[test]
    fn control_characters_are_refused_wherever_a_string_goes() {
        let ok = serde_json::json!({"a": "line one\nline two\ttab\r\n", "b": ["é", {"c": "ü"}]});
        assert!(check("query($a: String) { f(x: $a) }", ok).is_ok());
        for (query, vars) in [
            (
                "query($a: String) { f(x: $a) }",
                serde_json::json!({"a": "a\u{0}b"}),
            ),
            ("{ f(x: \"a\\u0000b\") }", serde_json::json!({})),
            (
                "{ f(x: {y: [\"ok\", \"\\u001b[31m\"]}) }",
                serde_json::json!({}),
            ),
            (
                "{ f @include(if: true) { g(x: \"\\u007f\") } }",
                serde_json::json!({}),
            ),
            (
                "{ ...F } fragment F on Q { f(x: \"\\u0085\") }",
                serde_json::json!({}),
            ),
            (
                "query($a: String = \"\\u0000\") { f(x: $a) }",
                serde_json::json!({}),
            ),
            ("{ f }", serde_json::json!({"deep": {"list": [["x\u{7}"]]}})),
        ] {
            let refused = check(query, vars).expect_err(query);
            assert_eq!(refused.code, INVALID_INPUT);
        }
        let refused = check(
            "query($input: I) { f(x: $input) }",
            serde_json::json!({"input": {"title": "ok", "rows": [{"a": "ok"}, {"a": "\u{0}"}]}}),
        )
        .expect_err("NUL");
        assert!(
            refused.message.starts_with("`$input.rows[1].a`"),
            "{}",
            refused.message
        );
        let refused = check(
            "{ f(x: {y: [\"ok\", \"\\u0007\"]}) }",
            serde_json::json!({}),
        )
        .expect_err("BEL");
        assert!(
            refused.message.starts_with("`x.y[1]`"),
            "{}",
            refused.message
        );
        assert!(check("{ f(x: \"tab\\tand\\nline\") }", serde_json::json!({})).is_ok());
    }
}
