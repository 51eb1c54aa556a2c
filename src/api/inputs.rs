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
/// `argument` for a literal).
pub fn check_strings(doc: &ExecutableDocument, variables: &Variables) -> Result<(), Refusal> {
    for (name, value) in variables.iter() {
        let mut at = format!("${name}");
        if !const_clean(value, &mut at) {
            return Err(refusal(&at));
        }
    }
    let mut at = String::new();
    for (_, op) in doc.operations.iter() {
        let defaults_clean = op.node.variable_definitions.iter().all(|d| {
            at = format!("${}", d.node.name.node);
            d.node
                .default_value
                .as_ref()
                .is_none_or(|v| const_clean(&v.node, &mut at))
        });
        if !defaults_clean
            || !directives_clean(&op.node.directives, &mut at)
            || !selection_clean(&op.node.selection_set.node, &mut at)
        {
            return Err(refusal(&at));
        }
    }
    for fragment in doc.fragments.values() {
        if !directives_clean(&fragment.node.directives, &mut at)
            || !selection_clean(&fragment.node.selection_set.node, &mut at)
        {
            return Err(refusal(&at));
        }
    }
    Ok(())
}

fn arguments_clean(arguments: &[(Positioned<Name>, Positioned<Value>)], at: &mut String) -> bool {
    arguments.iter().all(|(name, v)| {
        *at = name.node.to_string();
        value_clean(&v.node, at)
    })
}

fn selection_clean(set: &SelectionSet, at: &mut String) -> bool {
    set.items.iter().all(|item| match &item.node {
        Selection::Field(f) => {
            arguments_clean(&f.node.arguments, at)
                && directives_clean(&f.node.directives, at)
                && selection_clean(&f.node.selection_set.node, at)
        }
        Selection::FragmentSpread(s) => directives_clean(&s.node.directives, at),
        Selection::InlineFragment(i) => {
            directives_clean(&i.node.directives, at)
                && selection_clean(&i.node.selection_set.node, at)
        }
    })
}

fn directives_clean(directives: &[Positioned<Directive>], at: &mut String) -> bool {
    directives
        .iter()
        .all(|d| arguments_clean(&d.node.arguments, at))
}

/// Defines `$name`, which says whether a value of `$ty` is clean; when it is not, `at` ends
/// with the path to the string that is not. The document's values (`Value`, which may hold
/// variables) and the variables' (`ConstValue`) are two types of the same shape.
macro_rules! clean_walk {
    ($name:ident, $ty:ident) => {
        fn $name(v: &$ty, at: &mut String) -> bool {
            let inside = |step: String, item: &$ty, at: &mut String| {
                let len = at.len();
                at.push_str(&step);
                let clean = $name(item, at);
                if clean {
                    at.truncate(len);
                }
                clean
            };
            match v {
                $ty::String(s) => !s.chars().any(forbidden),
                $ty::List(items) => items
                    .iter()
                    .enumerate()
                    .all(|(i, item)| inside(format!("[{i}]"), item, at)),
                $ty::Object(fields) => fields
                    .iter()
                    .all(|(name, item)| inside(format!(".{name}"), item, at)),
                _ => true,
            }
        }
    };
}

clean_walk!(value_clean, Value);
clean_walk!(const_clean, ConstValue);

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
