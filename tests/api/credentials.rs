//! Credentials are never stored for replay (issue 26, item 3): a refresh resent with its
//! `Idempotency-Key` meets the refresh token's own rules, no table holds a token in clear,
//! and anonymous callers share no idempotency scope.

use entity::idempotency_key;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, spawn_app};

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken refreshToken userErrors { code } } }";
const REFRESH: &str = "mutation($t: String!) { refreshSession(input: {refreshToken: $t}) { accessToken refreshToken userErrors { code } } }";
const LOGOUT: &str =
    "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok userErrors { code } } }";

/// POSTs with an `Idempotency-Key`, signed in when `bearer` is given; returns the body and
/// whether it was a replay.
async fn send_with_key(
    app: &TestApp,
    bearer: Option<&str>,
    key: &str,
    query: &str,
    variables: Value,
) -> (Value, bool) {
    let mut req = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("idempotency-key", key)
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let replayed = resp.headers().contains_key("idempotent-replayed");
    (resp.json().await.unwrap(), replayed)
}

fn tokens(payload: &Value) -> (String, String) {
    let s = |v: &Value| v.as_str().unwrap_or_else(|| panic!("{payload}")).to_owned();
    (s(&payload["accessToken"]), s(&payload["refreshToken"]))
}

/// Every text a row of any table holds, as JSON.
async fn every_row(app: &TestApp) -> Vec<String> {
    macro_rules! rows {
        ($($m:ident),*) => {{
            let mut all = Vec::new();
            $(
                for r in entity::$m::Entity::find().into_json().all(&app.db).await.unwrap() {
                    all.push(r.to_string());
                }
            )*
            all
        }};
    }
    rows!(
        state,
        user,
        refresh_token,
        auth_throttle,
        audit_entry,
        app_setting,
        deadline_extension,
        transparency_report,
        assistance_need,
        assistance_offer,
        match_proposal,
        exchange_rate,
        meeting,
        sponsorship_application,
        workplan,
        workplan_activity,
        budget_line,
        expenditure,
        invoice,
        payment,
        idempotency_key
    )
}

#[tokio::test]
async fn a_refresh_resent_with_its_key_meets_the_grace_window_then_reuse_detection() {
    let app = spawn_app().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (access, refresh) = tokens(&login);
    let vars = json!({ "t": refresh });
    // Signed in, so the key has a scope: the response must still not be kept.
    let (first, replayed) = send_with_key(&app, Some(&access), "r-1", REFRESH, vars.clone()).await;
    assert!(!replayed);
    let successor = tokens(&first["data"]["refreshSession"]);
    let (again, replayed) = send_with_key(&app, Some(&access), "r-1", REFRESH, vars.clone()).await;
    assert!(!replayed, "credentials are never replayed");
    assert_eq!(
        tokens(&again["data"]["refreshSession"]),
        successor,
        "within the grace window: the same successor pair, from the token's own rules"
    );
    let kept = idempotency_key::Entity::find().all(&app.db).await.unwrap();
    assert!(kept.is_empty(), "{kept:?}");

    app.age_refresh_rotations().await;
    let (late, replayed) = send_with_key(&app, Some(&access), "r-1", REFRESH, vars).await;
    assert!(!replayed);
    assert_eq!(
        late["data"]["refreshSession"]["userErrors"][0]["code"], "UNAUTHENTICATED",
        "{late}"
    );
    // Reuse detection ended the session: the successor is refused too.
    let next = app.graphql(REFRESH, json!({ "t": successor.1 })).await;
    assert_eq!(
        next["data"]["refreshSession"]["userErrors"][0]["code"],
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn no_table_holds_a_token_in_clear_after_logins_and_refreshes_with_keys() {
    let app = spawn_app().await;
    let (access, refresh) = tokens(&app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let mut issued = vec![access.clone(), refresh.clone()];
    let (b, _) = send_with_key(
        &app,
        Some(&access),
        "login-again",
        LOGIN,
        json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
    )
    .await;
    let (a2, r2) = tokens(&b["data"]["login"]);
    issued.extend([a2.clone(), r2.clone()]);
    let (b, _) = send_with_key(&app, Some(&a2), "refresh", REFRESH, json!({ "t": r2 })).await;
    let (a3, r3) = tokens(&b["data"]["refreshSession"]);
    issued.extend([a3, r3]);
    let (b, _) = send_with_key(&app, None, "anon", REFRESH, json!({ "t": refresh })).await;
    issued.extend([
        tokens(&b["data"]["refreshSession"]).0,
        tokens(&b["data"]["refreshSession"]).1,
    ]);

    let rows = every_row(&app).await;
    assert!(rows.len() > 3, "the scan sees the tables");
    for token in &issued {
        // The refresh tokens' digests are kept, never the tokens.
        for row in &rows {
            assert!(!row.contains(token.as_str()), "{token} in {row}");
        }
    }
}

#[tokio::test]
async fn anonymous_callers_share_no_idempotency_scope() {
    let app = spawn_app().await;
    let (_, refresh) = tokens(&app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let vars = json!({ "t": refresh });
    let (first, replayed) = send_with_key(&app, None, "shared", LOGOUT, vars.clone()).await;
    assert!(!replayed);
    assert_eq!(first["data"]["logout"]["ok"], true, "{first}");
    // Another anonymous caller, the same body and key: it runs, and reads nothing of the
    // first caller's response.
    let (second, replayed) = send_with_key(&app, None, "shared", LOGOUT, vars).await;
    assert!(!replayed);
    assert_eq!(second["data"]["logout"]["ok"], false, "{second}");
    let anonymous = idempotency_key::Entity::find()
        .filter(idempotency_key::Column::Scope.eq("anonymous"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(anonymous.is_empty(), "{anonymous:?}");
}
