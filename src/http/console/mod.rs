//! The GraphQL console at `GET /graphql`: a page, a script and a stylesheet written for this
//! project and embedded in the binary, so it works on a network without internet access
//! (GraphiQL loads React and itself from a CDN, and stays blank offline). It logs in with
//! the `login` mutation, runs operations with variables and an `Authorization` header,
//! browses the schema and completes field names from introspection. The frontends'
//! contract operations are offered as examples.
//!
//! GraphiQL is not served: it loaded its code from a CDN, outside the console's
//! Content-Security-Policy, and the console covers the same needs.

use serde_json::json;

const PAGE: &str = include_str!("console.html");
pub const SCRIPT: &str = include_str!("console.js");
pub const STYLE: &str = include_str!("console.css");

/// The contract's operation files the project has adopted, from its own copy of the
/// frontends' contract (`contract/operations`): the console offers exactly what the
/// frontends send.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "auth.graphql",
        include_str!("../../../contract/operations/auth.graphql"),
    ),
    (
        "states.graphql",
        include_str!("../../../contract/operations/states.graphql"),
    ),
    (
        "deadlines.graphql",
        include_str!("../../../contract/operations/deadlines.graphql"),
    ),
    (
        "reports.graphql",
        include_str!("../../../contract/operations/reports.graphql"),
    ),
    (
        "cooperation.graphql",
        include_str!("../../../contract/operations/cooperation.graphql"),
    ),
    (
        "sponsorship.graphql",
        include_str!("../../../contract/operations/sponsorship.graphql"),
    ),
    (
        "budget.graphql",
        include_str!("../../../contract/operations/budget.graphql"),
    ),
    (
        "audit.graphql",
        include_str!("../../../contract/operations/audit.graphql"),
    ),
    (
        "node.graphql",
        include_str!("../../../contract/operations/node.graphql"),
    ),
    (
        "records.graphql",
        include_str!("../../../contract/operations/records.graphql"),
    ),
    (
        "action_plan.graphql",
        include_str!("../../../contract/operations/action_plan.graphql"),
    ),
    (
        "reminders.graphql",
        include_str!("../../../contract/operations/reminders.graphql"),
    ),
    (
        "experts.graphql",
        include_str!("../../../contract/operations/experts.graphql"),
    ),
    (
        "extension_requests.graphql",
        include_str!("../../../contract/operations/extension_requests.graphql"),
    ),
];

/// Splits an operation file into its named operations (with the fragments of the file
/// appended, so each runs on its own).
pub fn operations(file: &str, source: &str) -> Vec<(String, String)> {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for line in source.lines() {
        if depth == 0 && line.trim().is_empty() && current.trim().is_empty() {
            continue;
        }
        if depth == 0 && line.trim_start().starts_with('#') && current.trim().is_empty() {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        for ch in line.chars() {
            match ch {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if depth == 0 && line.contains('}') {
            blocks.push(std::mem::take(&mut current));
        }
    }
    let fragments: String = blocks
        .iter()
        .filter(|b| b.trim_start().starts_with("fragment"))
        .cloned()
        .collect();
    blocks
        .iter()
        .filter(|b| !b.trim_start().starts_with("fragment"))
        .filter_map(|b| {
            let head = b.split(['(', '{']).next()?.trim();
            let name = head.split_whitespace().nth(1).unwrap_or(file).to_owned();
            Some((name, format!("{}{}", b, fragments)))
        })
        .collect()
}

/// The console page, with the examples embedded as JSON.
pub fn page() -> String {
    let examples: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .flat_map(|(file, source)| {
            operations(file, source)
                .into_iter()
                .map(move |(name, source)| json!({"file": file, "name": name, "source": source.trim_end()}))
        })
        .collect();
    // `</` would end the script element early.
    let data = serde_json::Value::Array(examples)
        .to_string()
        .replace("</", "<\\/");
    PAGE.replace("/*OPERATIONS*/", &data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_files_split_into_named_operations() {
        let ops = operations(
            "x.graphql",
            "# comment\nquery A($id: ID!) {\n  a(id: $id) { b }\n}\n\nmutation B {\n  c { d }\n}\n",
        );
        assert_eq!(
            ops.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            vec!["A", "B"]
        );
        assert!(ops[1].1.starts_with("mutation B {"));
        let total: usize = EXAMPLES.iter().map(|(f, s)| operations(f, s).len()).sum();
        assert!(total >= 40, "{total} example operations");
    }

    #[test]
    fn the_page_embeds_the_examples_safely() {
        let page = page();
        assert!(!page.contains("/*OPERATIONS*/"));
        assert!(page.contains("MyDeadlines"));
        let start = page.find("type=\"application/json\">").expect("data");
        let rest = &page[start..];
        let end = rest.find("</script>").expect("end");
        let json: serde_json::Value =
            serde_json::from_str(&rest["type=\"application/json\">".len()..end]).expect("JSON");
        assert!(json.as_array().is_some_and(|a| a.len() >= 40));
    }
}
