//! `schema.graphql` is generated from the code: this test fails when it drifts.
//! `UPDATE_SCHEMA=1 cargo test --test api schema` rewrites it.

use std::path::PathBuf;

pub fn committed_schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema.graphql")
}

#[test]
fn committed_schema_matches_the_code() {
    let generated = ccm_isu::graphql::sdl();
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
    let sdl = ccm_isu::graphql::sdl();
    for scalar in ["scalar Date", "scalar DateTime"] {
        assert!(sdl.contains(scalar), "{scalar} missing");
    }
}
