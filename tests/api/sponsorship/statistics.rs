//! Statistics of approved delegates, and the suggestion.

use std::collections::BTreeMap;

use super::*;

// ----------------------------------------------------------------------------- statistics

fn counts(list: &Value, key: &str) -> BTreeMap<String, i64> {
    list.as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .map(|x| {
            (
                x[key].as_str().expect("key").to_owned(),
                x["count"].as_i64().expect("count"),
            )
        })
        .collect()
}

#[tokio::test]
async fn statistics_count_approved_delegates_for_the_isu_and_coordinators() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_input()).await;
    let stats = |token: Option<String>| {
        let vars = json!({"id": meeting});
        async move { app.graphql_with(token.as_deref(), STATS, vars).await }
    };
    // Nothing yet: every gender and group listed, at zero.
    let body = stats(Some(w.coordinator.clone())).await;
    let s = &body["data"]["meeting"]["sponsorshipStats"];
    assert_eq!(s["applications"], 0, "{body}");
    assert_eq!(s["approved"], 0);
    assert_eq!(s["femaleShareApproved"].as_f64(), Some(0.0));
    assert_eq!(counts(&s["byGender"], "gender").len(), 4);
    assert!(
        counts(&s["byRegionalGroup"], "regionalGroup")
            .values()
            .all(|n| *n == 0)
    );

    let mut ids = Vec::new();
    for (code, name, gender) in [
        ("LAO", "Phonsavanh Vongsa", "FEMALE"),
        ("LAO", "Khamphet Sisouk", "MALE"),
        ("BEN", "Aminata Dossou", "FEMALE"),
        ("PHL", "Jose Santos", "MALE"),
        ("AUT", "Anna Gruber", "FEMALE"),
        ("BOL", "Ana Quispe", "UNDISCLOSED"),
        ("SEN", "Sam Diouf", "OTHER"),
    ] {
        ids.push(
            applied_id(
                app,
                &w.admin,
                application(&meeting, code, name, gender, "100", 1),
            )
            .await,
        );
    }
    for i in [0, 1, 2, 6] {
        decided(app, &w.staff, decision(&ids[i], "APPROVED")).await;
    }
    decided(app, &w.staff, decision(&ids[4], "REJECTED")).await;
    assert_eq!(
        withdraw(app, Some(&w.staff), &ids[6]).await["application"]["status"],
        "WITHDRAWN"
    );
    // The approved: LAO female, LAO male, BEN female. Received: all seven.
    let expected_gender = BTreeMap::from([
        ("FEMALE".to_owned(), 2),
        ("MALE".to_owned(), 1),
        ("OTHER".to_owned(), 0),
        ("UNDISCLOSED".to_owned(), 0),
    ]);
    let expected_region = BTreeMap::from([
        ("AFRICA".to_owned(), 1),
        ("ASIA_PACIFIC".to_owned(), 2),
        ("EASTERN_EUROPE".to_owned(), 0),
        ("LATIN_AMERICA_CARIBBEAN".to_owned(), 0),
        ("WESTERN_EUROPE_OTHERS".to_owned(), 0),
    ]);
    for token in [&w.admin, &w.staff, &w.coordinator] {
        let body = stats(Some(token.clone())).await;
        let s = &body["data"]["meeting"]["sponsorshipStats"];
        assert_eq!(s["applications"], 7, "{body}");
        assert_eq!(s["approved"], 3);
        assert!(
            (s["femaleShareApproved"].as_f64().expect("share") - 2.0 / 3.0).abs() < 1e-9,
            "{body}"
        );
        assert_eq!(s["byGender"].as_array().map(Vec::len), Some(4));
        assert_eq!(s["byRegionalGroup"].as_array().map(Vec::len), Some(5));
        assert_eq!(counts(&s["byGender"], "gender"), expected_gender);
        assert_eq!(
            counts(&s["byRegionalGroup"], "regionalGroup"),
            expected_region
        );
    }
    // No statistics for a delegation or anonymously.
    assert_eq!(
        error_code(&stats(Some(w.lao.clone())).await),
        Some("FORBIDDEN")
    );
    assert_eq!(error_code(&stats(None).await), Some("UNAUTHENTICATED"));
}

// ----------------------------------------------------------------------------- suggestion

#[tokio::test]
async fn the_suggestion_funds_one_delegate_per_state_and_new_regions_first() {
    let w = world().await;
    let app = &w.app;
    // Allowance 100 a day: 700 + 3 days = 1000; 200 + 3 days = 500; 0 + 1 day = 100.
    let meeting = new_meeting(app, &w.admin, meeting_with("2600", "100")).await;
    let apply = |code: &'static str,
                 name: &'static str,
                 gender: &'static str,
                 travel: &'static str,
                 days| {
        let vars = application(&meeting, code, name, gender, travel, days);
        let admin = w.admin.as_str();
        async move { applied_id(app, admin, vars).await }
    };
    let approved = apply("PHL", "Jose Santos", "MALE", "200", 3).await;
    let phl_second = apply("PHL", "Maria Cruz", "MALE", "700", 3).await;
    let lao_f = apply("LAO", "Phonsavanh Vongsa", "FEMALE", "700", 3).await;
    let lao_m = apply("LAO", "Khamphet Sisouk", "MALE", "700", 3).await;
    let ben = apply("BEN", "Koffi Houngbo", "MALE", "700", 3).await;
    // Cheap enough to fit what is left, but ineligible, rejected or withdrawn.
    apply("AUT", "Anna Gruber", "FEMALE", "0", 1).await;
    let rejected = apply("GHA", "Ama Mensah", "FEMALE", "0", 1).await;
    let withdrawn = apply("LKA", "Nimali Perera", "FEMALE", "0", 1).await;
    decided(app, &w.staff, decision(&approved, "APPROVED")).await;
    decided(app, &w.staff, decision(&rejected, "REJECTED")).await;
    withdraw(app, Some(&w.staff), &withdrawn).await;
    // A waitlisted application is still pending.
    decided(app, &w.staff, decision(&lao_f, "WAITLISTED")).await;
    assert_eq!(remaining(app, &w.staff, &meeting).await, "2100.00");

    let audit = app.audit_entries().await;
    let body = app
        .graphql_as(&w.staff, SUGGEST, json!({"id": meeting}))
        .await;
    let s = &body["data"]["meeting"]["sponsorshipSuggestion"];
    // Two of the four 1000s fit in 2100. Laos (affected, new State) and Benin (new State,
    // new region) beat a second Lao delegate and a second Philippine one; of the two Lao
    // delegates the woman brings the balance closer to half.
    assert_eq!(
        ids(&s["applications"]),
        vec![lao_f.clone(), ben.clone()],
        "{body}"
    );
    assert_eq!(s["total"], json!({"amount": "2000.00", "currency": "CHF"}));
    // Over approved and suggested together: one woman of three; Asia-Pacific and Africa.
    assert!(
        (s["femaleShare"].as_f64().expect("share") - 1.0 / 3.0).abs() < 1e-9,
        "{body}"
    );
    assert_eq!(s["regionalGroupsCovered"], 2);
    assert_eq!(s["provenOptimal"], true);
    // Admin sees the same; nothing is written.
    let again = app
        .graphql_as(&w.admin, SUGGEST, json!({"id": meeting}))
        .await;
    assert_eq!(again["data"], body["data"]);
    assert_eq!(app.audit_entries().await, audit);
    for id in [&phl_second, &lao_m, &ben] {
        assert_eq!(status_of(app, &w.staff, id).await, "SUBMITTED");
    }

    // The ISU's only.
    for (token, code) in [
        (Some(w.coordinator.as_str()), "FORBIDDEN"),
        (Some(w.lao.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let body = app
            .graphql_with(token, SUGGEST, json!({"id": meeting}))
            .await;
        assert_eq!(error_code(&body), Some(code), "{body}");
    }

    // Following it leaves nothing to suggest.
    decided(app, &w.staff, decision(&lao_f, "APPROVED")).await;
    decided(app, &w.staff, decision(&ben, "APPROVED")).await;
    let body = app
        .graphql_as(&w.staff, SUGGEST, json!({"id": meeting}))
        .await;
    let s = &body["data"]["meeting"]["sponsorshipSuggestion"];
    assert_eq!(s["applications"], json!([]), "{body}");
    assert_eq!(s["total"]["amount"], "0.00");
    assert!((s["femaleShare"].as_f64().expect("share") - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(s["regionalGroupsCovered"], 2);
}

#[tokio::test]
async fn the_suggestion_counts_approved_delegates_for_balance() {
    let w = world().await;
    let app = &w.app;
    let meeting = new_meeting(app, &w.admin, meeting_with("1500", "100")).await;
    let apply =
        |code: &'static str, name: &'static str, gender: &'static str, travel: &'static str| {
            let vars = application(&meeting, code, name, gender, travel, 3);
            let admin = w.admin.as_str();
            async move { applied_id(app, admin, vars).await }
        };
    let approved = apply("PHL", "Jose Santos", "MALE", "200").await;
    // Alike in all but one thing: the Philippines already has a delegate. Were approved
    // delegates not counted, the tie would go to the earlier application.
    let phl = apply("PHL", "Maria Cruz", "FEMALE", "700").await;
    let lka = apply("LKA", "Nimali Perera", "FEMALE", "700").await;
    decided(app, &w.staff, decision(&approved, "APPROVED")).await;
    let body = app
        .graphql_as(&w.staff, SUGGEST, json!({"id": meeting}))
        .await;
    let s = &body["data"]["meeting"]["sponsorshipSuggestion"];
    assert_eq!(ids(&s["applications"]), vec![lka], "{body}");
    assert_ne!(ids(&s["applications"]), vec![phl]);
    assert_eq!(s["total"]["amount"], "1000.00");
    assert!((s["femaleShare"].as_f64().expect("share") - 0.5).abs() < 1e-9);
    assert_eq!(s["regionalGroupsCovered"], 1);
    assert_eq!(s["provenOptimal"], true);
}
