//! The frontends' contract, as the project adopted it (`contract/` at the top of the
//! repository, a byte-for-byte copy of the files adopted from the frontends' contract;
//! `.ci/contract-drift` compares them): every operation file validates against our
//! `schema.graphql` and runs, and every contract type is present with each of its fields,
//! arguments, input fields and enum values, typed as the contract types them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use apollo_compiler::{ExecutableDocument, Schema, ast, validation::Valid};
use serde_json::{Value, json};

use crate::helpers::*;

mod run;

/// The contract's operation files: every one must validate in full, and no file in the
/// project's copy may be missing from this list.
const REQUIRED_FILES: &[&str] = &[
    "auth.graphql",
    "audit.graphql",
    "states.graphql",
    "deadlines.graphql",
    "reports.graphql",
    "cooperation.graphql",
    "sponsorship.graphql",
    "budget.graphql",
    "node.graphql",
    "records.graphql",
    "action_plan.graphql",
    "reminders.graphql",
    "experts.graphql",
    "extension_requests.graphql",
];

/// The area files adopted so far, each extending `contract.graphql` and the ones before it,
/// in the order `contract.graphql`'s header gives. An issue that builds an area adopts its
/// file here.
const ADOPTED_AREAS: &[&str] = &[
    "records.graphql",
    "action_plan.graphql",
    "reminders.graphql",
    "experts.graphql",
    "extension_requests.graphql",
];

/// The project's own copy of the contract.
fn contract_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("contract")
}

fn our_schema() -> Valid<Schema> {
    let sdl =
        std::fs::read_to_string(crate::schema::committed_schema_path()).expect("schema.graphql");
    Schema::parse_and_validate(sdl, "schema.graphql").expect("schema.graphql is valid GraphQL")
}

/// Each operation of a contract file, as standalone source text, by name.
fn operations(file: &str) -> BTreeMap<String, String> {
    let path = contract_dir().join("operations").join(file);
    let src = std::fs::read_to_string(&path).expect("operation file");
    let doc = ast::Document::parse(src, file).expect("operation file parses");
    doc.definitions
        .iter()
        .filter_map(|d| match d {
            ast::Definition::OperationDefinition(op) => Some((
                op.name.as_ref().map(|n| n.to_string()).unwrap_or_default(),
                d.to_string(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn required_contract_operations_validate_against_our_schema() {
    let schema = our_schema();
    let mut failures = Vec::new();
    for file in REQUIRED_FILES {
        let src =
            std::fs::read_to_string(contract_dir().join("operations").join(file)).expect("file");
        if let Err(e) = ExecutableDocument::parse_and_validate(&schema, src, *file) {
            failures.push(format!("{file}: {}", e.errors));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Renders a field's type as written, e.g. `[String!]!`.
fn field_types(schema: &Schema, type_name: &str) -> Option<BTreeMap<String, String>> {
    let ty = schema.types.get(type_name)?;
    let mut out = BTreeMap::new();
    match ty {
        apollo_compiler::schema::ExtendedType::Object(o) => {
            for i in &o.implements_interfaces {
                out.insert(format!("implements {}", i.name), String::new());
            }
            for (n, f) in &o.fields {
                out.insert(n.to_string(), f.ty.to_string());
                for a in &f.arguments {
                    out.insert(format!("{n}({})", a.name), a.ty.to_string());
                }
            }
        }
        apollo_compiler::schema::ExtendedType::Interface(o) => {
            for (n, f) in &o.fields {
                out.insert(n.to_string(), f.ty.to_string());
            }
        }
        apollo_compiler::schema::ExtendedType::InputObject(o) => {
            for (n, f) in &o.fields {
                out.insert(n.to_string(), f.ty.to_string());
            }
        }
        apollo_compiler::schema::ExtendedType::Enum(e) => {
            for v in e.values.keys() {
                out.insert(v.to_string(), String::new());
            }
        }
        _ => {}
    }
    Some(out)
}

#[test]
fn every_contract_file_is_required() {
    let mut files: Vec<String> = std::fs::read_dir(contract_dir().join("operations"))
        .expect("operations dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".graphql"))
        .collect();
    files.sort();
    let mut required: Vec<String> = REQUIRED_FILES.iter().map(|f| (*f).to_owned()).collect();
    required.sort();
    assert_eq!(files, required);
}

#[test]
fn the_consoles_examples_are_the_contract_operations() {
    let mut files: Vec<&str> = ccm_isu::http::console::EXAMPLES
        .iter()
        .map(|(f, _)| *f)
        .collect();
    files.sort_unstable();
    let mut required = REQUIRED_FILES.to_vec();
    required.sort_unstable();
    assert_eq!(files, required);
    for (file, copy) in ccm_isu::http::console::EXAMPLES {
        let original =
            std::fs::read_to_string(contract_dir().join("operations").join(file)).expect("file");
        assert_eq!(
            *copy, original,
            "the console's {file} is not the project's contract copy"
        );
    }
}

/// The contract as adopted: `contract.graphql`, then each adopted area file in order.
fn contract_schema() -> Schema {
    let mut builder = Schema::builder();
    for file in std::iter::once("contract.graphql").chain(ADOPTED_AREAS.iter().copied()) {
        let src = std::fs::read_to_string(contract_dir().join(file)).expect("contract file");
        builder = builder.parse(src, file);
    }
    builder.build().expect("the adopted contract parses")
}

#[test]
fn the_adopted_areas_are_the_copied_ones_in_the_headers_order() {
    let header =
        std::fs::read_to_string(contract_dir().join("contract.graphql")).expect("contract.graphql");
    let header: String = header
        .lines()
        .take_while(|l| l.starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ");
    let position = |file: &str| header.find(file).unwrap_or(usize::MAX);
    let mut copied: Vec<String> = std::fs::read_dir(contract_dir())
        .expect("contract dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".graphql") && n != "contract.graphql")
        .collect();
    copied.sort_by_key(|f| position(f));
    assert_eq!(
        copied, ADOPTED_AREAS,
        "adopted area files, in the header's order"
    );
    assert!(
        ADOPTED_AREAS.iter().all(|f| position(f) != usize::MAX),
        "every adopted area is named in contract.graphql's header"
    );
}

#[test]
fn every_contract_type_is_complete() {
    let contract = contract_schema();
    let ours = our_schema();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (name, ty) in &contract.types {
        if ty.is_built_in() {
            continue;
        }
        checked += 1;
        let want = field_types(&contract, name).unwrap_or_default();
        let Some(have) = field_types(&ours, name) else {
            missing.push(format!("type {name}"));
            continue;
        };
        for (field, ty) in want {
            match have.get(&field) {
                Some(t) if *t == ty => {}
                Some(t) => missing.push(format!("{name}.{field}: {t}, contract says {ty}")),
                None => missing.push(format!("{name}.{field}")),
            }
        }
    }
    assert!(checked > 100, "the contract was read ({checked} types)");
    assert!(missing.is_empty(), "contract gaps:\n{}", missing.join("\n"));
}

/// The names of the object types that implement `Node` in our schema.
pub fn node_types() -> BTreeSet<String> {
    our_schema()
        .types
        .iter()
        .filter_map(|(name, ty)| match ty {
            apollo_compiler::schema::ExtendedType::Object(o)
                if o.implements_interfaces.iter().any(|i| i.name == "Node") =>
            {
                Some(name.to_string())
            }
            _ => None,
        })
        .collect()
}

fn assert_ran(body: &Value, what: &str) {
    assert!(body["errors"].is_null(), "{what}: {body}");
    if let Some(data) = body["data"].as_object() {
        for (field, payload) in data {
            if let Some(errors) = payload.get("userErrors") {
                assert_eq!(errors, &json!([]), "{what}.{field}: {body}");
            }
        }
    }
}

async fn run_op(
    app: &TestApp,
    ops: &BTreeMap<String, String>,
    name: &str,
    token: Option<String>,
    vars: Value,
) -> Value {
    let body = app.graphql_with(token.as_deref(), &ops[name], vars).await;
    assert_ran(&body, name);
    body
}
