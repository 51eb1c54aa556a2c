//! The layers of `src/` import one way: each only from itself and the layers below it
//! (`src/lib.rs`, "Layout"). This test reads the sources, resolves every `crate::` and
//! `super::` path outside test code to the module it names, and fails on any import that
//! reaches up, on any cycle between domains, and on a pure rule or the kernel naming a
//! framework it must not know.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first. A module's layer is its first path segment; what is not listed
/// (`startup`, `seed`, `copy`, `main`, `lib`) is the top, which wires the others.
const LAYERS: &[&str] = &["kernel", "rules", "auth", "domain", "api", "http"];

/// Names that a layer's non-test code must not contain, with the reason.
const FORBIDDEN: &[(&str, &str, &str)] = &[
    ("kernel", "async_graphql", "the kernel knows no GraphQL"),
    ("kernel", "axum", "the kernel knows no HTTP"),
    ("rules", "entity::", "pure rules take plain data, not rows"),
    ("rules", "sea_orm", "pure rules touch no database"),
    ("rules", "async_graphql", "pure rules know no GraphQL"),
    ("auth", "async_graphql", "auth knows no GraphQL"),
    (
        "domain",
        "async_graphql",
        "services return domain structs, not GraphQL types",
    ),
    ("domain", "axum", "services know no HTTP"),
    ("api", "axum", "the API layer knows no HTTP"),
];

fn layer_of(module: &[String]) -> usize {
    module
        .first()
        .and_then(|top| LAYERS.iter().position(|l| l == top))
        .unwrap_or(LAYERS.len())
}

/// Every `.rs` file under `src/` with its module path (`src/api/states/types.rs` is
/// `api::states::types`, `src/api/mod.rs` is `api`, `src/lib.rs` is the root).
fn modules() -> BTreeMap<Vec<String>, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(&src)
                .expect("under src")
                .with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            (parts, path)
        })
        .collect()
}

/// The code of a file without comments and without the items marked `#[cfg(test)]`.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read source");
    let text: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    without_test_items(&text)
}

/// `text` without each item that follows `#[cfg(test)]`: up to its `;`, or through the
/// braces it opens.
fn without_test_items(text: &str) -> String {
    const MARK: &str = "#[cfg(test)]";
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let item = &rest[at + MARK.len()..];
        let end = match (item.find('{'), item.find(';')) {
            (Some(open), semi) if semi.is_none_or(|s| open < s) => {
                let mut depth = 0usize;
                let mut end = item.len();
                for (i, c) in item[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (_, Some(semi)) => semi + 1,
            _ => item.len(),
        };
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// The paths after each `prefix` (`crate::`, `super::`), as identifier segments.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let mut segments = Vec::new();
        let mut tail = rest;
        loop {
            let len = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(tail.len());
            if len == 0 {
                break;
            }
            segments.push(tail[..len].to_owned());
            match tail[len..].strip_prefix("::") {
                Some(next) => tail = next,
                None => break,
            }
        }
        if !segments.is_empty() {
            out.push(segments);
        }
    }
    out
}

/// The longest module that is a prefix of `path`.
fn resolve(path: &[String], known: &BTreeMap<Vec<String>, PathBuf>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|candidate| known.contains_key(candidate))
}

/// Every module each module imports, by its non-test code.
fn imports() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let known = modules();
    let mut out = BTreeMap::new();
    for (module, path) in &known {
        let text = code(path);
        let is_dir_module = matches!(
            path.file_stem().and_then(|s| s.to_str()),
            Some("mod" | "lib" | "main")
        );
        // `super::` from a file module names its directory's siblings; from a `mod.rs`, the
        // parent directory's.
        let parent: Vec<String> = if is_dir_module || !module.is_empty() {
            module[..module.len().saturating_sub(1)].to_vec()
        } else {
            Vec::new()
        };
        let mut targets = BTreeSet::new();
        let absolute = paths_after(&text, "crate::");
        let relative = paths_after(&text, "super::").into_iter().map(|p| {
            let mut full = parent.clone();
            full.extend(p);
            full
        });
        for path in absolute.into_iter().chain(relative) {
            if let Some(target) = resolve(&path, &known)
                && target != *module
                && !module.starts_with(&target)
            {
                targets.insert(target);
            }
        }
        out.insert(module.clone(), targets);
    }
    out
}

#[test]
fn no_layer_imports_from_a_layer_above_it() {
    let mut upward = Vec::new();
    for (module, targets) in imports() {
        for target in targets {
            if layer_of(&target) > layer_of(&module) {
                upward.push(format!("{} -> {}", module.join("::"), target.join("::")));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that reach up a layer ({LAYERS:?}, then the top):\n{}",
        upward.join("\n")
    );
}

#[test]
fn domains_depend_one_way() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, targets) in imports() {
        let [top, domain, ..] = module.as_slice() else {
            continue;
        };
        if top != "domain" {
            continue;
        }
        for target in targets {
            if let [t, other, ..] = target.as_slice()
                && t == "domain"
                && other != domain
            {
                graph
                    .entry(domain.clone())
                    .or_default()
                    .insert(other.clone());
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if !done.insert(node.to_owned()) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            panic!("domains in a cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn each_layer_names_only_the_frameworks_it_may_know() {
    let mut found = Vec::new();
    for (module, path) in modules() {
        let text = code(&path);
        for (layer, name, why) in FORBIDDEN {
            if module.first().is_some_and(|top| top == layer) && text.contains(name) {
                found.push(format!("{}: `{name}` ({why})", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn test_items_are_left_out_and_the_rest_is_kept() {
    let text = "use a;\n#[cfg(test)]\nmod tests { fn f() { g(); } }\nfn after() {}\n#[cfg(test)]\nuse b;\nuse c;";
    assert_eq!(
        without_test_items(text),
        "use a;\n\nfn after() {}\n\nuse c;"
    );
}

#[test]
fn the_checker_sees_imports() {
    // The checker itself: a module it cannot read would pass every test above.
    let all = imports();
    let of = |m: &str| {
        all.get(&m.split("::").map(str::to_owned).collect::<Vec<_>>())
            .unwrap_or_else(|| panic!("module {m} not found"))
    };
    let has =
        |m: &str, t: &str| of(m).contains(&t.split("::").map(str::to_owned).collect::<Vec<_>>());
    assert!(has("api::node", "domain::states::service"));
    assert!(has(
        "domain::cooperation::proposals",
        "domain::cooperation::service"
    ));
    assert!(has("startup", "api::context"));
    assert_eq!(layer_of(&["kernel".into()]), 0);
    assert_eq!(layer_of(&["startup".into()]), LAYERS.len());
}
