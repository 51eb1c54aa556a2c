//! Password attempts under concurrency (issue 26, item 4), and the strength of new
//! passwords (item 8). Each INVALID_CREDENTIALS answer is one password hashed; RATE_LIMITED
//! is answered before any hashing, so counting the answers counts the hashes.

use ccm_isu::auth::jwt::JwtKeys;
use ccm_isu::auth::{sessions, throttle};
use ccm_isu::kernel::error::{Code, ServiceError};
use entity::auth_throttle;
use sea_orm::{EntityTrait, PaginatorTrait, Set, sea_query::Expr};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, PASSWORD, TestApp, codes, spawn_app, token_of};

const CHANGE: &str = "mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) { ok userErrors { field code } } }";
const CREATE_USER: &str = "mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } userErrors { field code message } } }";

async fn throttle_rows(app: &TestApp) -> u64 {
    auth_throttle::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

/// A login through the service, as if from `addr`: HTTP tests all come from 127.0.0.1.
async fn login_from(app: &TestApp, email: &str, password: &str, addr: &str) -> Option<Code> {
    let keys = JwtKeys::new(b"a test secret that only signs, never verifies");
    match sessions::login(&app.db, &keys, email, password.into(), addr).await {
        Ok(_) => None,
        Err(ServiceError::Refused(r)) => Some(r[0].code),
        Err(e) => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn a_hundred_concurrent_wrong_logins_hash_at_most_ten_passwords() {
    let app = std::sync::Arc::new(spawn_app().await);
    let email = app.create_user_quietly("ISU_STAFF").await;
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..100 {
        let (app, email) = (std::sync::Arc::clone(&app), email.clone());
        guesses.spawn(async move { app.login(&email, &format!("wrong guess {i}")).await });
    }
    let (mut invalid, mut limited) = (0, 0);
    while let Some(p) = guesses.join_next().await {
        match codes(&p.expect("task")).as_slice() {
            [c] if c == "INVALID_CREDENTIALS" => invalid += 1,
            [c] if c == "RATE_LIMITED" => limited += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(invalid, throttle::MAX_PER_ACCOUNT_AND_ADDRESS, "hashed");
    assert_eq!(limited, 100 - invalid);
    // The right password is refused from this address...
    let p = app.login(&email, PASSWORD).await;
    assert_eq!(codes(&p), vec!["RATE_LIMITED"], "{p}");
    assert_eq!(p["accessToken"], Value::Null);
    // ...but the user elsewhere still logs in: the attacker cannot lock them out.
    assert_eq!(
        login_from(&app, &email, PASSWORD, "198.51.100.7").await,
        None
    );
}

/// The HTTP handler gives every request its client's address. A password check run any other
/// way has none, and is a fault: it never counts on one throttle counter shared by every
/// caller without an address, where ten guesses would lock all of them out.
#[tokio::test]
async fn a_login_without_a_client_address_is_a_fault_and_counts_nowhere() {
    let app = spawn_app().await;
    let ctx = ccm_isu::startup::prepare(
        &ccm_isu::kernel::config::Settings::for_database(&app.url),
        app.db.clone(),
        std::sync::Arc::new(ccm_isu::api::metrics::Metrics::new()),
    )
    .await
    .expect("context");
    let schema = ccm_isu::api::builder().data(ctx).finish();
    let rows = throttle_rows(&app).await;
    let login = async_graphql::Request::new(
        "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken } }",
    )
    .variables(async_graphql::Variables::from_json(
        json!({"e": ADMIN_EMAIL, "p": "a wrong password"}),
    ));
    let response = serde_json::to_value(schema.execute(login).await).expect("JSON");
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "INTERNAL_SERVER_ERROR",
        "{response}"
    );
    assert_eq!(throttle_rows(&app).await, rows);
}

#[tokio::test]
async fn the_account_ceiling_holds_across_addresses_and_a_success_resets_it() {
    let app = spawn_app().await;
    let email = app.create_user_quietly("ISU_STAFF").await;
    for i in 0..throttle::MAX_PER_ACCOUNT {
        let addr = format!("203.0.113.{}", i % 250);
        let got = login_from(&app, &email, "wrong password!", &addr).await;
        assert_eq!(got, Some(Code::InvalidCredentials), "attempt {i}");
    }
    // A hundred consecutive failures: refused from any address, the right password too.
    let got = login_from(&app, &email, PASSWORD, "192.0.2.200").await;
    assert_eq!(got, Some(Code::RateLimited));
    // Another account is not affected.
    let other = app.create_user_quietly("ISU_STAFF").await;
    assert_eq!(
        login_from(&app, &other, PASSWORD, "192.0.2.200").await,
        None
    );
    // A success resets the consecutive failures of the account.
    let fresh = app.create_user_quietly("ISU_STAFF").await;
    for _ in 0..5 {
        login_from(&app, &fresh, "wrong password!", "192.0.2.9").await;
    }
    assert_eq!(login_from(&app, &fresh, PASSWORD, "192.0.2.9").await, None);
    for _ in 0..throttle::MAX_PER_ACCOUNT_AND_ADDRESS {
        let got = login_from(&app, &fresh, "wrong password!", "192.0.2.9").await;
        assert_eq!(got, Some(Code::InvalidCredentials));
    }
    let got = login_from(&app, &fresh, PASSWORD, "192.0.2.9").await;
    assert_eq!(got, Some(Code::RateLimited));
}

#[tokio::test]
async fn a_huge_email_is_refused_before_anything_is_stored() {
    let app = spawn_app().await;
    let huge = format!("{}@isu.test", "a".repeat(1_000_000));
    let before = throttle_rows(&app).await;
    for _ in 0..3 {
        let p = app.login(&huge, "wrong password!").await;
        assert_eq!(codes(&p), vec!["INVALID_INPUT"], "{}", p["userErrors"]);
    }
    assert_eq!(throttle_rows(&app).await, before);
    // One character over the limit is refused too; at the limit it is an attempt, stored
    // as a fixed-length digest that names neither the email nor the address.
    let over = format!("{}@isu.test", "b".repeat(246));
    assert_eq!(
        codes(&app.login(&over, "wrong password!").await),
        vec!["INVALID_INPUT"]
    );
    let at = format!("{}@isu.test", "c".repeat(245));
    assert_eq!(
        codes(&app.login(&at, "wrong password!").await),
        vec!["INVALID_CREDENTIALS"]
    );
    let rows = auth_throttle::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    for r in rows {
        assert_eq!(r.key.len(), 64);
        assert!(!r.key.contains("ccc") && !r.key.contains("127.0.0.1"));
    }
}

#[tokio::test]
async fn wrong_current_passwords_are_throttled_like_logins() {
    let app = spawn_app().await;
    let email = app.create_user("ISU_STAFF", None, &[]).await;
    let token = token_of(&app.login(&email, PASSWORD).await);
    let change = |c: &'static str| {
        app.graphql_as(&token, CHANGE, json!({"c": c, "n": "a brand new password"}))
    };
    for _ in 0..throttle::MAX_PER_ACCOUNT_AND_ADDRESS {
        let p = change("not it at all").await;
        assert_eq!(
            codes(&p["data"]["changePassword"]),
            vec!["INVALID_CREDENTIALS"]
        );
    }
    let p = app
        .graphql_as(
            &token,
            CHANGE,
            json!({"c": PASSWORD, "n": "a brand new password"}),
        )
        .await;
    assert_eq!(
        codes(&p["data"]["changePassword"]),
        vec!["RATE_LIMITED"],
        "{p}"
    );
    // The same counter as logins: the account is now refused at this address.
    assert_eq!(
        codes(&app.login(&email, PASSWORD).await),
        vec!["RATE_LIMITED"]
    );
}

#[tokio::test]
async fn closed_windows_reopen_and_their_rows_are_pruned() {
    let app = spawn_app().await;
    for _ in 0..throttle::MAX_PER_ACCOUNT_AND_ADDRESS {
        app.login(ADMIN_EMAIL, "wrong password!").await;
    }
    assert_eq!(
        codes(&app.login(ADMIN_EMAIL, "wrong password!").await),
        vec!["RATE_LIMITED"]
    );
    assert_eq!(throttle_rows(&app).await, 3);
    // The windows closed two minutes ago.
    auth_throttle::Entity::update_many()
        .col_expr(
            auth_throttle::Column::WindowEndsAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::minutes(2)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    // The next attempt that makes a row prunes them: another account's.
    let other = app.create_user_quietly("ISU_STAFF").await;
    app.login(&other, "wrong password!").await;
    let rows = auth_throttle::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows.iter().all(|r| r.window_ends_at > chrono::Utc::now()),
        "{rows:?}"
    );
    assert_eq!(throttle::prune(&app.db).await.unwrap(), 0);
    // A window that just closed is restarted by the next attempt.
    for _ in 0..throttle::MAX_PER_ACCOUNT_AND_ADDRESS {
        app.login(ADMIN_EMAIL, "wrong password!").await;
    }
    let just_closed = auth_throttle::ActiveModel {
        window_ends_at: Set(chrono::Utc::now() - chrono::Duration::seconds(1)),
        ..Default::default()
    };
    auth_throttle::Entity::update_many()
        .set(just_closed)
        .exec(&app.db)
        .await
        .unwrap();
    let p = app.login(ADMIN_EMAIL, crate::helpers::ADMIN_PASSWORD).await;
    assert_eq!(codes(&p), Vec::<String>::new(), "{p}");
}

#[tokio::test]
async fn common_passwords_are_refused_for_new_accounts_and_changes() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let users = app.users().await;
    let audit = app.audit_entries().await;
    for weak in ["password1234", "Password123!", "qwertyuiop123"] {
        let p = app
            .graphql_as(
                &admin,
                CREATE_USER,
                json!({"input": {"email": "weak@isu.test", "password": weak, "role": "ISU_STAFF"}}),
            )
            .await;
        let p = &p["data"]["createUser"];
        assert_eq!(codes(p), vec!["INVALID_INPUT"], "{weak}: {p}");
        assert_eq!(p["userErrors"][0]["field"], json!(["input", "password"]));
        assert!(
            p["userErrors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("too easy to guess"),
            "{p}"
        );
    }
    // The account's own email is no password either.
    let p = app
        .graphql_as(
            &admin,
            CREATE_USER,
            json!({"input": {"email": "jane.doe@isu.test", "password": "jane.doe@isu.test", "role": "ISU_STAFF"}}),
        )
        .await;
    assert_eq!(codes(&p["data"]["createUser"]), vec!["INVALID_INPUT"]);
    assert_eq!(app.users().await, users);
    assert_eq!(app.audit_entries().await, audit);

    let email = app.create_user("ISU_STAFF", None, &[]).await;
    let token = token_of(&app.login(&email, PASSWORD).await);
    let p = app
        .graphql_as(&token, CHANGE, json!({"c": PASSWORD, "n": "iloveyou2024"}))
        .await;
    let p = &p["data"]["changePassword"];
    assert_eq!(codes(p), vec!["INVALID_INPUT"], "{p}");
    assert_eq!(p["userErrors"][0]["field"], json!(["input", "newPassword"]));
    // The password did not change.
    assert!(app.login(&email, PASSWORD).await["accessToken"].is_string());
}
