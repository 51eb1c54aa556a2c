//! Signing in, accounts, the audit log and the States: the admin's token and a user's ID
//! for the parts that follow.

use super::super::*;

pub(super) async fn run(app: &TestApp) -> (String, Value) {
    let auth = operations("auth.graphql");
    let run = |name: &'static str, token: Option<String>, vars: Value| {
        run_op(app, &auth, name, token, vars)
    };

    let login = run(
        "Login",
        None,
        json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
    )
    .await;
    let refresh = login["data"]["login"]["refreshToken"]
        .as_str()
        .expect("refresh")
        .to_owned();
    let refreshed = run("RefreshSession", None, json!({"refreshToken": refresh})).await;
    let admin = refreshed["data"]["refreshSession"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    run("Me", Some(admin.clone()), json!({})).await;
    let created = run(
        "CreateUser",
        Some(admin.clone()),
        json!({"input": {"email": "lao@isu.test", "password": PASSWORD, "role": "DELEGATION", "stateCode": "LAO"}}),
    )
    .await;
    let user_id = created["data"]["createUser"]["user"]["id"].clone();
    run(
        "Users",
        Some(admin.clone()),
        json!({"first": 10, "filter": {"role": "DELEGATION"}}),
    )
    .await;
    let lao = app.login("lao@isu.test", PASSWORD).await;
    run(
        "ChangePassword",
        Some(token_of(&lao)),
        json!({"currentPassword": PASSWORD, "newPassword": "another-password-789"}),
    )
    .await;
    run(
        "DeactivateUser",
        Some(admin.clone()),
        json!({"id": user_id}),
    )
    .await;
    let other = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    run(
        "Logout",
        None,
        json!({"refreshToken": other["refreshToken"]}),
    )
    .await;

    let audit = &operations("audit.graphql")["AuditLog"];
    let body = app.graphql_as(&admin, audit, json!({"first": 50})).await;
    assert_ran(&body, "AuditLog");
    assert!(
        body["data"]["auditLog"]["totalCount"].as_i64() >= Some(4),
        "{body}"
    );

    let states = operations("states.graphql");
    let body = app
        .graphql(
            &states["StateParties"],
            json!({"first": 5, "filter": {"regionalGroup": "ASIA_PACIFIC", "hasObligation": "CLEARANCE"}}),
        )
        .await;
    assert_ran(&body, "StateParties");
    assert!(
        body["data"]["stateParties"]["totalCount"].as_i64() > Some(0),
        "{body}"
    );
    let body = run_op(
        app,
        &states,
        "UpdateStateParty",
        Some(admin.clone()),
        json!({"input": {"code": "LAO", "hasVictims": true}}),
    )
    .await;
    assert_eq!(
        body["data"]["updateStateParty"]["stateParty"]["code"],
        "LAO"
    );
    let body = run_op(
        app,
        &states,
        "RecordDeadlineExtension",
        Some(admin.clone()),
        json!({"input": {"stateCode": "LAO", "kind": "CLEARANCE", "newDeadline": "2025-08-01", "grantedOn": "2019-09-04", "grantedAt": "9MSP"}}),
    )
    .await;
    assert_eq!(
        body["data"]["recordDeadlineExtension"]["extension"]["newDeadline"],
        "2025-08-01"
    );
    let body = run_op(app, &states, "StateProfile", None, json!({"code": "LAO"})).await;
    assert!(
        body["data"]["stateParty"]["obligations"]
            .as_array()
            .is_some_and(|o| !o.is_empty()),
        "{body}"
    );
    assert_eq!(
        body["data"]["stateParty"]["extensions"][0]["grantedAt"],
        "9MSP"
    );
    (admin, user_id)
}
