//! Delegates' personal data, and the CSV export.

use std::collections::BTreeMap;

use reqwest::StatusCode;

use super::*;

// -------------------------------------------------------------------------------- privacy

#[tokio::test]
async fn delegates_personal_data_is_for_the_isu_and_their_own_state() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let lao1 = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "100", 1),
    )
    .await;
    let lao2 = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Khamphet Sisouk", "MALE", "100", 1),
    )
    .await;
    let irq = applied_id(
        app,
        &w.staff,
        application(&meeting, "IRQ", "Layla Hassan", "FEMALE", "100", 1),
    )
    .await;

    let listed = |token: Option<String>| {
        let vars = json!({"id": meeting});
        async move {
            let body = app.graphql_with(token.as_deref(), LIST, vars).await;
            assert!(body["errors"].is_null(), "{body}");
            let c = body["data"]["meeting"]["applications"].clone();
            let nodes: Vec<Value> = c["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| e["node"].clone())
                .collect();
            (c["totalCount"].as_u64().expect("totalCount"), nodes)
        }
    };
    for token in [&w.admin, &w.staff] {
        let (total, nodes) = listed(Some(token.clone())).await;
        assert_eq!(total, 3);
        assert_eq!(
            nodes.iter().map(|n| n["id"].clone()).collect::<Vec<_>>(),
            vec![lao1.clone(), lao2.clone(), irq.clone()],
            "oldest first"
        );
        assert_eq!(
            nodes[2]["delegate"],
            json!({"fullName": "Layla Hassan", "email": "laylahassan@mfa.test"})
        );
    }
    let (total, nodes) = listed(Some(w.lao.clone())).await;
    assert_eq!(total, 2);
    assert!(
        nodes.iter().all(|n| n["state"]["code"] == "LAO"),
        "{nodes:?}"
    );
    assert_eq!(nodes[0]["delegate"]["fullName"], "Phonsavanh Vongsa");
    let (total, nodes) = listed(Some(w.irq.clone())).await;
    assert_eq!(total, 1);
    assert_eq!(nodes[0]["id"], irq);
    for token in [Some(w.coordinator.clone()), None] {
        assert_eq!(listed(token).await, (0, vec![]));
    }
    // The status filter does not widen what a viewer sees.
    let body = app
        .graphql_as(
            &w.coordinator,
            LIST,
            json!({"id": meeting, "status": ["SUBMITTED"]}),
        )
        .await;
    assert_eq!(body["data"]["meeting"]["applications"]["totalCount"], 0);
    let body = app
        .graphql_as(
            &w.lao,
            LIST,
            json!({"id": meeting, "status": ["SUBMITTED"]}),
        )
        .await;
    assert_eq!(body["data"]["meeting"]["applications"]["totalCount"], 2);

    // node(id:) follows the same rule.
    for token in [&w.admin, &w.staff, &w.lao] {
        let n = node(app, Some(token), &lao1).await;
        assert_eq!(
            n["delegate"],
            json!({"fullName": "Phonsavanh Vongsa", "email": "phonsavanhvongsa@mfa.test"})
        );
        assert_eq!(n["state"]["code"], "LAO");
    }
    for token in [Some(w.irq.as_str()), Some(w.coordinator.as_str()), None] {
        assert_eq!(node(app, token, &lao1).await, Value::Null);
    }
    assert_eq!(node(app, Some(&w.lao), &irq).await, Value::Null);
    assert_eq!(
        node(app, Some(&w.irq), &irq).await["delegate"]["fullName"],
        "Layla Hassan"
    );
}

// -------------------------------------------------------------------------------- export

#[tokio::test]
async fn the_isu_exports_a_meetings_applications_as_csv() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let lao = applied_id(
        app,
        &w.lao,
        application(&meeting, "LAO", "Phonsavanh Vongsa", "FEMALE", "1850", 5),
    )
    .await;
    let mut evil = application(
        &meeting,
        "BEN",
        "=HYPERLINK(\"http://x.test\",\"Koffi\")",
        "MALE",
        "900",
        2,
    );
    evil["input"]["delegate"]["email"] = json!("koffi@mfa.test");
    let ben = applied_id(app, &w.admin, evil).await;
    let mut vars = decision(&lao, "APPROVED");
    vars["input"]["note"] = json!("Priority: clearance");
    decided(app, &w.staff, vars).await;
    let other = new_meeting(app, &w.admin, meeting_input()).await;
    applied_id(
        app,
        &w.lao,
        application(&other, "LAO", "Not In This Export", "MALE", "1", 1),
    )
    .await;

    let get = |path: String, token: Option<String>| {
        let mut req = app.client.get(format!("{}{path}", app.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.expect("get") }
    };
    let path = format!("/exports/sponsorship/{}.csv", meeting.as_str().expect("id"));
    for token in [&w.admin, &w.staff] {
        let resp = get(path.clone(), Some(token.clone())).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(content_type.starts_with("text/csv"), "{content_type}");
        let text = resp.text().await.expect("text");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            header,
            [
                "application_id",
                "meeting",
                "state_code",
                "state_name",
                "regional_group",
                "delegate_name",
                "gender",
                "position",
                "email",
                "status",
                "eligible",
                "requested_travel",
                "requested_days",
                "daily_allowance",
                "requested_total",
                "approved_amount",
                "currency",
                "submitted_at",
                "decided_at",
                "decision_note",
            ]
        );
        let rows: Vec<BTreeMap<String, String>> = reader
            .records()
            .map(|r| {
                header
                    .iter()
                    .cloned()
                    .zip(r.expect("record").iter().map(str::to_owned))
                    .collect()
            })
            .collect();
        assert_eq!(rows.len(), 2, "{text}");
        // By State: Benin, then Laos.
        let (b, l) = (&rows[0], &rows[1]);
        assert_eq!(b["application_id"], ben.as_str().expect("id"));
        assert_eq!(
            b["delegate_name"], "'=HYPERLINK(\"http://x.test\",\"Koffi\")",
            "a formula is neutralised: {text}"
        );
        assert_eq!(b["email"], "koffi@mfa.test");
        assert_eq!(b["status"], "SUBMITTED");
        assert_eq!(b["approved_amount"], "");
        assert_eq!(l["application_id"], lao.as_str().expect("id"));
        assert_eq!(l["meeting"], "Fourteenth Meeting of States Parties");
        assert_eq!(l["state_code"], "LAO");
        assert_eq!(l["regional_group"], "ASIA_PACIFIC");
        assert_eq!(l["delegate_name"], "Phonsavanh Vongsa");
        assert_eq!(l["email"], "phonsavanhvongsa@mfa.test");
        assert_eq!(l["gender"], "FEMALE");
        assert_eq!(l["status"], "APPROVED");
        assert_eq!(l["eligible"], "yes");
        assert_eq!(l["requested_travel"], "1850.00");
        assert_eq!(l["requested_days"], "5");
        assert_eq!(l["daily_allowance"], "300.00");
        assert_eq!(l["requested_total"], "3350.00");
        assert_eq!(l["approved_amount"], "3350.00");
        assert_eq!(l["currency"], "CHF");
        assert_eq!(l["decision_note"], "Priority: clearance");
        assert!(!l["decided_at"].is_empty());
        assert!(!text.contains("Not In This Export"));
    }
    for (token, status) in [
        (Some(w.lao.clone()), StatusCode::FORBIDDEN),
        (Some(w.coordinator.clone()), StatusCode::FORBIDDEN),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(get(path.clone(), token).await.status(), status);
    }
    let unknown = unknown_id("Meeting");
    for missing in [
        format!("/exports/sponsorship/{}.csv", unknown.as_str().expect("id")),
        "/exports/sponsorship/garbage.csv".to_owned(),
        format!("/exports/sponsorship/{}.csv", ben.as_str().expect("id")),
        format!("/exports/sponsorship/{}", meeting.as_str().expect("id")),
    ] {
        assert_eq!(
            get(missing.clone(), Some(w.admin.clone())).await.status(),
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}
