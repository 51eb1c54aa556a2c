use async_graphql::Variables;
use async_graphql::parser::parse_query;

use super::*;

const SDL: &str = "
    type Query { items(first: Int, after: String): ItemConnection! list: [Item!]! one: Item
                 paged(first: Int = 5): [Item!]! nodes(ids: [ID!]!): [Item]! n: Int }
    type Mutation { touch: Item }
    type ItemConnection { edges: [ItemEdge!]! pageInfo: PageInfo! total: Int! }
    type ItemEdge { node: Item! cursor: String! }
    type PageInfo { hasNextPage: Boolean! }
    type Item { id: ID! tags: [String!]! children: [Item!]! parent: Item }
    schema { query: Query mutation: Mutation }";

fn model() -> CostModel {
    CostModel::from_sdl(SDL)
}

fn cost_with(
    q: &str,
    name: Option<&str>,
    vars: serde_json::Value,
) -> Result<DocumentCost, Unbounded> {
    let doc = parse_query(q).expect("parses");
    let vars = Variables::from_json(vars);
    estimate(&model(), &doc, name, &vars)
}

fn cost(q: &str) -> DocumentCost {
    cost_with(q, None, serde_json::json!({})).expect("no cycle")
}

/// `fragment F0 on Query { __typename } … fragment Fn on Query { ...Fn-1 ...Fn-1 }`.
fn fan_out(depth: usize) -> String {
    let mut q = String::from("query { ...F");
    q.push_str(&depth.to_string());
    q.push_str(" } fragment F0 on Query { __typename }");
    for i in 1..=depth {
        q.push_str(&format!(
            " fragment F{i} on Query {{ ...F{p} ...F{p} }}",
            p = i - 1
        ));
    }
    q
}

#[test]
fn pages_count_first_and_their_lists_hold_that_many() {
    // The connection, its page info, 10 edges and 10 nodes.
    let c = cost(
        "{ items(first: 10) { total pageInfo { hasNextPage } edges { cursor node { id } } } }",
    );
    assert_eq!(c.objects, 1 + 1 + 10 * 2);
    assert_eq!(c.fields, 8);
    // Absent `first`: the schema's default, else 100; more than 100 counts 100.
    assert_eq!(
        cost("{ items { edges { node { id } } } }").objects,
        1 + 100 * 2
    );
    assert_eq!(cost("{ paged { id } }").objects, 5);
    assert_eq!(
        cost("{ items(first: 5000) { edges { cursor } } }").objects,
        101
    );
    assert_eq!(cost("{ items(first: -3) { edges { cursor } } }").objects, 1);
}

#[test]
fn variables_and_their_defaults_give_first() {
    let q = "query Q($n: Int = 3) { items(first: $n) { edges { cursor } } }";
    assert_eq!(cost(q).objects, 1 + 3);
    let c = cost_with(q, None, serde_json::json!({"n": 7})).expect("costs");
    assert_eq!(c.objects, 1 + 7);
    let none = "query Q($n: Int) { items(first: $n) { edges { cursor } } }";
    assert_eq!(cost(none).objects, 1 + 100);
}

#[test]
fn lists_without_a_bound_count_a_hundred_and_nesting_multiplies() {
    assert_eq!(cost("{ list { id } }").objects, 100);
    assert_eq!(
        cost("{ list { children { id } } }").objects,
        100 * (1 + 100)
    );
    // Scalars cost no object, however listed.
    assert_eq!(cost("{ one { tags } n }").objects, 1);
    // A list of IDs bounds the list.
    assert_eq!(cost(r#"{ nodes(ids: ["a", "b", "c"]) { id } }"#).objects, 3);
    let vars = cost_with(
        "query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        None,
        serde_json::json!({"ids": ["a", "b"]}),
    );
    assert_eq!(vars.expect("costs").objects, 2);
}

#[test]
fn the_fragment_fan_out_costs_its_expansion_in_linear_time() {
    let q = fan_out(40);
    assert!(q.len() < 1_700, "under two kilobytes: {}", q.len());
    // Counted, not visited: the operation spreads out to 2^40 fields, and the definitions
    // F0 … F40, which validation visits too, to 2^41 - 1.
    assert_eq!(cost(&q).fields, (1u64 << 40) + (1u64 << 41) - 1);
    // Wider than u64 can hold (16 spreads a level, 20 levels: 2^80): it saturates.
    let mut wide = String::from("{ ...W20 } fragment W0 on Query { __typename }");
    for i in 1..=20 {
        let spreads = format!("...W{} ", i - 1).repeat(16);
        wide.push_str(&format!(" fragment W{i} on Query {{ {spreads}}}"));
    }
    assert_eq!(cost(&wide).fields, u64::MAX);
}

#[test]
fn a_fragment_cycle_is_refused_not_followed() {
    let direct = "{ ...A } fragment A on Query { one { id } ...A }";
    assert_eq!(
        cost_with(direct, None, serde_json::json!({})),
        Err(Unbounded::Cycle("A".into()))
    );
    let through = "{ ...A } fragment A on Query { ...B } fragment B on Item { ...A }";
    assert!(cost_with(through, None, serde_json::json!({})).is_err());
    // A fragment spread twice, not in a cycle, is fine.
    assert!(
        cost_with(
            "{ ...A ...A } fragment A on Query { n }",
            None,
            serde_json::json!({})
        )
        .is_ok()
    );
}

#[test]
fn only_the_selected_operation_counts_objects_but_every_one_counts_fields() {
    let q = "query Small { one { id } } query Big { list { children { id } } }";
    let small = cost_with(q, Some("Small"), serde_json::json!({})).expect("costs");
    let big = cost_with(q, Some("Big"), serde_json::json!({})).expect("costs");
    assert_eq!((small.objects, big.objects), (1, 10_100));
    assert_eq!(small.fields, big.fields);
    // No such operation: the costliest.
    let unknown = cost_with(q, Some("Nope"), serde_json::json!({})).expect("costs");
    assert_eq!(unknown.objects, 10_100);
    assert_eq!(cost("mutation { touch { parent { id } } }").objects, 2);
}

#[test]
fn fragments_are_costed_on_their_type_and_under_their_page() {
    let q = "{ items(first: 4) { ...Page } } fragment Page on ItemConnection { edges { node { ...I } } }
             fragment I on Item { children { id } }";
    assert_eq!(
        cost_with(q, None, serde_json::json!({}))
            .expect("costs")
            .objects,
        1 + 4 * (1 + 1 + 100)
    );
    let inline = "{ one { ... on Item { children { id } } ... { parent { id } } } }";
    assert_eq!(cost(inline).objects, 1 + 100 + 1);
}

#[test]
fn the_check_refuses_with_query_too_complex() {
    let check = |limits: CostLimits, q: &str| {
        let qc = QueryCost {
            limits,
            model: Arc::new(model()),
        };
        qc.check(
            &parse_query(q).expect("parses"),
            None,
            &Variables::default(),
        )
    };
    let limits = CostLimits {
        max_fields: 100,
        max_objects: 1_000,
        max_resolved_objects: 1_000,
        max_response_bytes: 1_000,
    };
    for q in [
        fan_out(30),
        "{ list { children { id } } }".to_owned(),
        "{ ...A } fragment A on Query { ...A }".to_owned(),
    ] {
        let refusal = check(limits, &q).expect_err("refused");
        assert_eq!(refusal.code, QUERY_TOO_COMPLEX, "{q}");
    }
    assert!(check(limits, "{ list { id } }").is_ok());
    assert!(check(limits, &fan_out(5)).is_ok());
}

#[test]
fn fragments_nested_past_the_limit_are_refused_without_recursing_through_them() {
    let chain = |n: usize| {
        let mut q = format!("{{ ...F{n} }} fragment F0 on Query {{ n }}");
        for i in 1..=n {
            q.push_str(&format!(" fragment F{i} on Query {{ ...F{p} }}", p = i - 1));
        }
        q
    };
    assert!(cost_with(&chain(MAX_SPREAD_NESTING - 1), None, serde_json::json!({})).is_ok());
    // 30 000 fragments: a megabyte, which would overflow the stack if followed to the end.
    assert_eq!(
        cost_with(&chain(30_000), None, serde_json::json!({})),
        Err(Unbounded::Nesting)
    );
}
