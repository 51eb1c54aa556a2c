//! Request limits, in one place. async-graphql runs any document it is given; these bound
//! what one request may cost before anything runs:
//!
//! - depth ([`MAX_DEPTH`]), counted through fragments, with introspection (`__schema`,
//!   `__type`) left out: tools send introspection queries 15 levels deep, and the schema
//!   bounds them; [`MAX_DEPTH_WITH_INTROSPECTION`] is the backstop;
//! - complexity ([`MAX_COMPLEXITY`]), where a connection or a list with `first` costs
//!   `first × child` ([`page_cost`]);
//! - the same field at most [`MAX_SAME_FIELD`] times in one selection set, aliases
//!   included, and at most [`MAX_FIELDS`] fields in a document ([`check_shape`], run by
//!   [`super::execute`]), so that alias-multiplied queries cannot pass as cheap ones;
//! - at most [`MAX_DIRECTIVES`] directives on one field;
//! - with introspection off, no `__schema` or `__type` in the operation that would run,
//!   its fragments included (`__typename` is not introspection): such a request gets
//!   [`INTROSPECTION_DISABLED`] instead of `{"__schema": null}`.
//!
//! These walks follow fragment spreads without remembering them, so they run only on
//! documents the cost pass ([`super::cost`]) has admitted: it refuses fragment cycles and
//! documents that expand to too many fields, in one linear pass, before anything else.
//!
//! Batches (at most 5 operations), body size (1 MiB) and time are limited in `crate::http`.

use std::collections::HashMap;

use async_graphql::ServerError;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};

/// Deepest selection of data accepted.
pub const MAX_DEPTH: usize = 10;
/// Deepest selection accepted at all, introspection included (graphql-js' standard
/// introspection query is 15 deep).
pub const MAX_DEPTH_WITH_INTROSPECTION: usize = 20;
/// Most complexity accepted: each field costs 1, a page of `first` items `first` times its
/// selection. `stateParties(first: 100)` with 20 fields each costs about 2 200.
pub const MAX_COMPLEXITY: usize = 10_000;
/// Most occurrences of one field in a selection set, aliases included.
pub const MAX_SAME_FIELD: usize = 15;
/// Most fields in one document.
pub const MAX_FIELDS: usize = 1_000;
/// Most directives on one field.
pub const MAX_DIRECTIVES: usize = 5;

/// The complexity of a page: `first` (default `default`, at most 100, at least 1) times
/// the cost of one item's selection.
pub fn page_cost(first: Option<i32>, default: i32, child: usize) -> usize {
    let n = usize::try_from(first.unwrap_or(default).clamp(1, 100)).unwrap_or(1);
    n.saturating_mul(child)
}

/// `extensions.code` of an introspection query refused because introspection is off.
pub const INTROSPECTION_DISABLED: &str = "INTROSPECTION_DISABLED";

/// Why a document is refused before it runs: a top-level error with its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// `BAD_USER_INPUT` for a limit, [`INTROSPECTION_DISABLED`] for introspection,
    /// [`super::cost::QUERY_TOO_COMPLEX`] for cost.
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    fn limit(message: String) -> Self {
        Self {
            code: "BAD_USER_INPUT",
            message,
        }
    }
}

impl From<Refusal> for ServerError {
    fn from(r: Refusal) -> Self {
        let mut e = ServerError::new(r.message, None);
        e.extensions
            .get_or_insert_with(Default::default)
            .set("code", r.code);
        e
    }
}

/// Why a document is refused, or Ok. `operation_name` is the request's `operationName`;
/// `introspection` whether the server answers introspection.
pub fn check_shape(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    introspection: bool,
) -> Result<(), Refusal> {
    let mut fields = 0usize;
    for (_, op) in doc.operations.iter() {
        walk(&op.node.selection_set.node, &mut fields).map_err(Refusal::limit)?;
    }
    for fragment in doc.fragments.values() {
        walk(&fragment.node.selection_set.node, &mut fields).map_err(Refusal::limit)?;
    }
    for (_, op) in doc.operations.iter() {
        let d = depth(doc, &op.node.selection_set.node, &mut Vec::new());
        if d > MAX_DEPTH {
            return Err(Refusal::limit(format!(
                "The query is nested too deep: {d} levels, at most {MAX_DEPTH}."
            )));
        }
    }
    if !introspection && introspects(doc, operation_name) {
        return Err(Refusal {
            code: INTROSPECTION_DISABLED,
            message: "Introspection is disabled on this server: `__schema` and `__type` are \
                      not answered."
                .into(),
        });
    }
    Ok(())
}

/// Whether the operation that would run selects `__schema` or `__type`, at any depth and
/// through fragments. With no operation of that name (or several and no name), every
/// operation counts: validation refuses the document anyway.
pub fn introspects(doc: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    let selected: Vec<&OperationDefinition> = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => vec![&op.node],
        (DocumentOperations::Multiple(ops), Some(name)) if ops.contains_key(name) => {
            ops.get(name).map(|op| &op.node).into_iter().collect()
        }
        (DocumentOperations::Multiple(ops), _) => ops.values().map(|op| &op.node).collect(),
    };
    selected
        .iter()
        .any(|op| selects_introspection(doc, &op.selection_set.node, &mut Vec::new()))
}

/// Whether a selection set holds `__schema` or `__type`, through fragment spreads (each
/// fragment once: a cycle, which validation refuses, ends there).
fn selects_introspection<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    seen: &mut Vec<&'a str>,
) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(f) => {
            matches!(f.node.name.node.as_str(), "__schema" | "__type")
                || selects_introspection(doc, &f.node.selection_set.node, seen)
        }
        Selection::InlineFragment(f) => {
            selects_introspection(doc, &f.node.selection_set.node, seen)
        }
        Selection::FragmentSpread(s) => {
            let name = s.node.fragment_name.node.as_str();
            if seen.contains(&name) {
                return false;
            }
            seen.push(name);
            doc.fragments
                .get(&s.node.fragment_name.node)
                .is_some_and(|f| selects_introspection(doc, &f.node.selection_set.node, seen))
        }
    })
}

/// The depth of a selection set, through fragment spreads (a cycle, which validation
/// refuses later, counts as nothing), leaving out introspection fields.
fn depth<'a>(doc: &'a ExecutableDocument, set: &'a SelectionSet, seen: &mut Vec<&'a str>) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) if f.node.name.node.starts_with("__") => 0,
            Selection::Field(f) => 1 + depth(doc, &f.node.selection_set.node, seen),
            Selection::InlineFragment(f) => depth(doc, &f.node.selection_set.node, seen),
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.as_str();
                match doc.fragments.get(&s.node.fragment_name.node) {
                    Some(fragment) if !seen.contains(&name) => {
                        seen.push(name);
                        let d = depth(doc, &fragment.node.selection_set.node, seen);
                        seen.pop();
                        d
                    }
                    _ => 0,
                }
            }
        })
        .max()
        .unwrap_or(0)
}

fn walk(set: &SelectionSet, fields: &mut usize) -> Result<(), String> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                *fields += 1;
                if *fields > MAX_FIELDS {
                    return Err(format!("The query selects more than {MAX_FIELDS} fields."));
                }
                let name = f.node.name.node.as_str();
                let n = seen.entry(name).or_default();
                *n += 1;
                if *n > MAX_SAME_FIELD {
                    return Err(format!(
                        "`{name}` is selected more than {MAX_SAME_FIELD} times in one selection set (aliases included)."
                    ));
                }
                walk(&f.node.selection_set.node, fields)?;
            }
            Selection::InlineFragment(f) => walk(&f.node.selection_set.node, fields)?,
            Selection::FragmentSpread(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(q: &str) -> Result<(), String> {
        check_shape(
            &async_graphql::parser::parse_query(q).expect("parses"),
            None,
            true,
        )
        .map_err(|r| r.message)
    }

    /// The code of the refusal of `q` (operation `name`) with introspection off.
    fn without_introspection(q: &str, name: Option<&str>) -> Option<&'static str> {
        check_shape(
            &async_graphql::parser::parse_query(q).expect("parses"),
            name,
            false,
        )
        .err()
        .map(|r| r.code)
    }

    #[test]
    fn introspection_off_refuses_schema_and_type_anywhere_in_the_operation() {
        let off = Some(INTROSPECTION_DISABLED);
        assert_eq!(
            without_introspection("{ __schema { types { name } } }", None),
            off
        );
        assert_eq!(
            without_introspection("{ __type(name: \"Query\") { name } }", None),
            off
        );
        assert_eq!(
            without_introspection("{ me { id } a: __schema { queryType { name } } }", None),
            off
        );
        // Through fragments, named and inline, nested.
        assert_eq!(
            without_introspection(
                "query { ...A } fragment A on Query { ...B } fragment B on Query { __schema { description } }",
                None
            ),
            off
        );
        assert_eq!(
            without_introspection("{ ... on Query { __type(name: \"X\") { name } } }", None),
            off
        );
        // A fragment cycle ends, and is validation's to refuse.
        assert_eq!(
            without_introspection("{ ...A } fragment A on Query { ...A }", None),
            None
        );
        // `__typename` is not introspection.
        assert_eq!(
            without_introspection("{ __typename me { __typename } }", None),
            None
        );
        // Only the operation that would run counts.
        let two = "query Data { __typename } query Schema { __schema { description } }";
        assert_eq!(without_introspection(two, Some("Data")), None);
        assert_eq!(without_introspection(two, Some("Schema")), off);
        assert_eq!(without_introspection(two, None), off);
        // With introspection on, nothing is refused for it.
        assert_eq!(shape("{ __schema { types { name } } }"), Ok(()));
    }

    #[test]
    fn limits_are_refused_as_bad_user_input() {
        let wide: String = (0..1_001).map(|i| format!("f{i} ")).collect();
        let refusal = check_shape(
            &async_graphql::parser::parse_query(format!("{{ {wide} }}")).expect("parses"),
            None,
            false,
        )
        .expect_err("too wide");
        assert_eq!(refusal.code, "BAD_USER_INPUT");
        let error = ServerError::from(refusal);
        assert_eq!(
            error.extensions.and_then(|e| e.get("code").cloned()),
            Some(async_graphql::Value::from("BAD_USER_INPUT"))
        );
    }

    #[test]
    fn the_same_field_fifteen_times_passes_and_sixteen_do_not() {
        let aliases = |n: usize| {
            let body: String = (0..n).map(|i| format!("a{i}: me {{ id }} ")).collect();
            format!("{{ {body} }}")
        };
        assert!(shape(&aliases(15)).is_ok());
        assert!(shape(&aliases(16)).is_err());
        // Inside fragments too.
        let frag = format!("query {{ ...F }} fragment F on Query {}", &aliases(16)[..]);
        assert!(shape(&frag).is_err());
    }

    #[test]
    fn depth_counts_through_fragments_and_leaves_out_introspection() {
        let chain = |n: usize| {
            let mut q = String::from("id");
            for _ in 0..n - 1 {
                q = format!("a {{ {q} }}");
            }
            q
        };
        assert!(shape(&format!("{{ {} }}", chain(10))).is_ok());
        assert!(shape(&format!("{{ {} }}", chain(11))).is_err());
        let spread = format!("{{ a {{ ...F }} }} fragment F on T {{ {} }}", chain(10));
        assert!(shape(&spread).expect_err("11 deep").contains("11 levels"));
        let cyclic = "{ a { ...F } } fragment F on T { b { ...F } }";
        assert!(
            shape(cyclic).is_ok(),
            "validation refuses cycles, not this check"
        );
        let intro = format!(
            "{{ __schema {{ types {{ {} }} }} }}",
            chain(14).replace('a', "ofType")
        );
        assert!(shape(&intro).is_ok());
    }

    #[test]
    fn documents_hold_at_most_a_thousand_fields() {
        let wide = |n: usize| {
            let body: String = (0..n).map(|i| format!("f{i} ")).collect();
            format!("{{ {body} }}")
        };
        assert!(shape(&wide(1_000)).is_ok());
        assert!(shape(&wide(1_001)).is_err());
    }

    #[test]
    fn pages_cost_first_times_their_selection() {
        assert_eq!(page_cost(Some(100), 20, 12), 1_200);
        assert_eq!(page_cost(None, 20, 12), 240);
        assert_eq!(page_cost(Some(0), 20, 12), 12);
        assert_eq!(page_cost(Some(5_000), 20, 12), 1_200);
        assert_eq!(page_cost(Some(-3), 20, 12), 12);
    }
}
