//! `schema.graphql` is generated from the code: this test fails when it drifts.
//! `UPDATE_SCHEMA=1 cargo test --test api schema` rewrites it.

use std::path::PathBuf;

pub fn committed_schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema.graphql")
}

#[test]
fn committed_schema_matches_the_code() {
    let generated = ccm_isu::api::sdl();
    let path = committed_schema_path();
    if std::env::var("UPDATE_SCHEMA").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write schema.graphql");
        return;
    }
    let committed = std::fs::read_to_string(&path).expect("schema.graphql is committed");
    assert!(
        committed == generated,
        "schema.graphql is out of date: run `UPDATE_SCHEMA=1 cargo test --test api schema` and commit it"
    );
}

#[test]
fn schema_names_the_contract_scalars() {
    let sdl = ccm_isu::api::sdl();
    for scalar in ["scalar Date", "scalar DateTime"] {
        assert!(sdl.contains(scalar), "{scalar} missing");
    }
}

/// Directives the GraphQL specification defines; `schema.graphql` restates some of them.
const SPEC_DIRECTIVES: &[&str] = &["skip", "include", "deprecated", "specifiedBy", "oneOf"];

/// The contract's custom scalars: each, like any custom scalar, names its specification.
const CONTRACT_SCALARS: &[&str] = &["Date", "DateTime", "Decimal"];

/// Every type, field, argument, enum value and input field of the committed `schema.graphql`
/// (built-in and introspection types aside, the root types included) has a description, and
/// every custom scalar names its specification with `@specifiedBy(url:)`.
#[test]
fn every_schema_element_is_described() {
    use apollo_compiler::schema::{ExtendedType, FieldDefinition, InputValueDefinition};
    use apollo_compiler::{Node, Schema};

    fn blank(description: &Option<Node<str>>) -> bool {
        description.as_ref().is_none_or(|d| d.trim().is_empty())
    }
    fn check_field(missing: &mut Vec<String>, owner: &str, field: &FieldDefinition) {
        if blank(&field.description) {
            missing.push(format!("field {owner}.{}", field.name));
        }
        for arg in &field.arguments {
            check_input(missing, "argument", &format!("{owner}.{}", field.name), arg);
        }
    }
    fn check_input(missing: &mut Vec<String>, what: &str, owner: &str, v: &InputValueDefinition) {
        if blank(&v.description) {
            missing.push(format!("{what} {owner}({})", v.name));
        }
    }

    let sdl = std::fs::read_to_string(committed_schema_path()).expect("schema.graphql");
    let schema =
        Schema::parse_and_validate(sdl, "schema.graphql").expect("schema.graphql is valid GraphQL");
    let mut missing = Vec::new();
    let mut checked = 0;
    for (name, ty) in &schema.types {
        if ty.is_built_in() {
            continue;
        }
        checked += 1;
        let (kind, description) = match ty {
            ExtendedType::Scalar(t) => ("scalar", &t.description),
            ExtendedType::Object(t) => ("type", &t.description),
            ExtendedType::Interface(t) => ("interface", &t.description),
            ExtendedType::Union(t) => ("union", &t.description),
            ExtendedType::Enum(t) => ("enum", &t.description),
            ExtendedType::InputObject(t) => ("input", &t.description),
        };
        if blank(description) {
            missing.push(format!("{kind} {name}"));
        }
        match ty {
            ExtendedType::Object(t) => {
                for field in t.fields.values() {
                    check_field(&mut missing, name, field);
                }
            }
            ExtendedType::Interface(t) => {
                for field in t.fields.values() {
                    check_field(&mut missing, name, field);
                }
            }
            ExtendedType::Enum(t) => {
                for value in t.values.values() {
                    if blank(&value.description) {
                        missing.push(format!("enum value {name}.{}", value.value));
                    }
                }
            }
            ExtendedType::InputObject(t) => {
                for field in t.fields.values() {
                    check_input(&mut missing, "input field", name, field);
                }
            }
            ExtendedType::Scalar(t) => {
                let url = t
                    .directives
                    .get("specifiedBy")
                    .and_then(|d| d.specified_argument_by_name("url"))
                    .and_then(|url| url.as_str());
                if !url.is_some_and(|u| u.starts_with("https://")) {
                    missing.push(format!("@specifiedBy(url: \"https://…\") on scalar {name}"));
                }
            }
            ExtendedType::Union(_) => {}
        }
    }
    for (name, directive) in &schema.directive_definitions {
        if SPEC_DIRECTIVES.contains(&name.as_str()) {
            continue;
        }
        if blank(&directive.description) {
            missing.push(format!("directive @{name}"));
        }
        for arg in &directive.arguments {
            check_input(&mut missing, "argument", &format!("@{name}"), arg);
        }
    }
    for name in CONTRACT_SCALARS {
        if !matches!(schema.types.get(*name), Some(ExtendedType::Scalar(_))) {
            missing.push(format!("scalar {name} (not in the schema)"));
        }
    }
    assert!(checked > 100, "schema.graphql was read ({checked} types)");
    assert!(
        missing.is_empty(),
        "{} schema elements are undocumented (give each a `///` doc comment, or an argument \
         `#[graphql(desc = \"…\")]`; a scalar also a `specified_by_url`, which `graphql::sdl()` \
         exports with `include_specified_by()`):\n{}",
        missing.len(),
        missing.join("\n")
    );
}
