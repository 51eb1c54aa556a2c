//! Feeds and exports: compression, strong ETags and 304s, `no-store`, and 401 challenges.

use super::*;

/// GETs `path` with optional bearer token and extra headers.
async fn get(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = app.client.get(format!("{}{path}", app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.expect("get")
}

fn header_of(resp: &reqwest::Response, name: header::HeaderName) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[tokio::test]
async fn large_responses_are_compressed_by_accept_encoding_and_small_ones_are_not() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let plain = get(&app, "/calendar/all.ics", None, &[]).await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(header_of(&plain, header::CONTENT_ENCODING), None);
    let plain = plain.bytes().await.expect("body");
    assert!(plain.len() > 1024, "the feed is large enough to compress");
    assert!(plain.starts_with(b"BEGIN:VCALENDAR"));
    for (accept, encoding) in [
        ("gzip", "gzip"),
        ("br", "br"),
        ("gzip;q=0.5, br", "br"),
        ("br;q=0, gzip", "gzip"),
    ] {
        let resp = get(
            &app,
            "/calendar/all.ics",
            None,
            &[("accept-encoding", accept)],
        )
        .await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(
            header_of(&resp, header::CONTENT_ENCODING).as_deref(),
            Some(encoding),
            "{accept}"
        );
        assert!(
            header_of(&resp, header::VARY)
                .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
        );
        let body = resp.bytes().await.expect("body");
        assert!(
            !body.starts_with(b"BEGIN:VCALENDAR"),
            "{accept}: not the plain text"
        );
        assert!(
            body.len() < plain.len() / 2,
            "{accept}: {} bytes",
            body.len()
        );
        if encoding == "gzip" {
            assert_eq!(&body[..2], &[0x1f, 0x8b], "the gzip magic number");
        }
    }
    // An export and a GraphQL response too.
    let resp = get(
        &app,
        "/exports/compliance/2024.csv",
        Some(&admin),
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(
        header_of(&resp, header::CONTENT_ENCODING).as_deref(),
        Some("gzip")
    );
    let big = "{ stateParties(first: 100) { edges { node { code name regionalGroup } } } }";
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("accept-encoding", "br")
        .json(&json!({ "query": big }))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        header_of(&resp, header::CONTENT_ENCODING).as_deref(),
        Some("br")
    );
    // Under 1 KiB: as it is.
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("accept-encoding", "gzip, br")
        .json(&json!({ "query": VALID }))
        .send()
        .await
        .expect("post");
    assert_eq!(header_of(&resp, header::CONTENT_ENCODING), None);
    let body: Value = resp.json().await.expect("plain JSON");
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn feeds_and_exports_carry_a_strong_etag_and_answer_if_none_match_with_304() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (path, token) in [
        ("/calendar/LAO.ics", None),
        ("/calendar/all.ics", None),
        ("/exports/compliance/2024.csv", Some(admin.as_str())),
    ] {
        let first = get(&app, path, token, &[]).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header_of(&first, header::CACHE_CONTROL).as_deref(),
            Some("private, max-age=300"),
            "{path}"
        );
        let tag = header_of(&first, header::ETAG).expect("ETag");
        assert!(
            tag.starts_with('"') && tag.ends_with('"') && tag.len() > 20,
            "a strong tag: {tag}"
        );
        let body = first.bytes().await.expect("body");
        // The same content, the same tag (the calendar's DTSTAMP does not move with the clock).
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let again = get(&app, path, token, &[]).await;
        assert_eq!(
            header_of(&again, header::ETAG).as_deref(),
            Some(tag.as_str())
        );
        assert_eq!(again.bytes().await.expect("body"), body);
        for if_none_match in [
            tag.clone(),
            format!("\"something-else\", {tag}"),
            format!("W/{tag}"),
            "*".to_owned(),
        ] {
            let resp = get(&app, path, token, &[("if-none-match", &if_none_match)]).await;
            assert_eq!(
                resp.status(),
                StatusCode::NOT_MODIFIED,
                "{path} {if_none_match}"
            );
            assert_eq!(
                header_of(&resp, header::ETAG).as_deref(),
                Some(tag.as_str())
            );
            assert_eq!(
                header_of(&resp, header::CACHE_CONTROL).as_deref(),
                Some("private, max-age=300")
            );
            assert!(resp.bytes().await.expect("body").is_empty(), "no body");
        }
        let resp = get(&app, path, token, &[("if-none-match", "\"stale\"")]).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.bytes().await.expect("body"), body);
        // Each encoding is its own representation, with its own tag.
        let gzip = get(&app, path, token, &[("accept-encoding", "gzip")]).await;
        if header_of(&gzip, header::CONTENT_ENCODING).is_some() {
            let gzip_tag = header_of(&gzip, header::ETAG).expect("ETag");
            assert_ne!(gzip_tag, tag, "{path}");
            let resp = get(
                &app,
                path,
                token,
                &[("accept-encoding", "gzip"), ("if-none-match", &gzip_tag)],
            )
            .await;
            assert_eq!(resp.status(), StatusCode::NOT_MODIFIED, "{path}");
        }
    }
    // Different content, different tags.
    let lao = get(&app, "/calendar/LAO.ics", None, &[]).await;
    let all = get(&app, "/calendar/all.ics", None, &[]).await;
    assert_ne!(header_of(&lao, header::ETAG), header_of(&all, header::ETAG));
    // Errors carry no validator.
    let missing = get(&app, "/calendar/XXX.ics", None, &[("if-none-match", "*")]).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(header_of(&missing, header::ETAG), None);
}

#[tokio::test]
async fn exports_with_names_and_email_addresses_are_not_stored() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app
        .graphql_as(
            &admin,
            "mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { meeting { id } userErrors { code } } }",
            json!({"input": {
                "kind": "MEETING_OF_STATES_PARTIES",
                "title": "Fourteenth Meeting of States Parties",
                "startsOn": "2026-09-14", "endsOn": "2026-09-17", "venue": "Geneva",
                "applicationDeadline": "2026-07-31",
                "sponsorshipBudget": {"amount": "10000", "currency": "CHF"},
                "dailySubsistenceAllowance": {"amount": "300", "currency": "CHF"},
            }}),
        )
        .await;
    let id = created["data"]["createMeeting"]["meeting"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    let path = format!("/exports/sponsorship/{id}.csv");
    let resp = get(&app, &path, Some(&admin), &[]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        header_of(&resp, header::CACHE_CONTROL).as_deref(),
        Some("no-store")
    );
    let tag = header_of(&resp, header::ETAG).expect("ETag");
    let resp = get(&app, &path, Some(&admin), &[("if-none-match", &tag)]).await;
    assert_eq!(resp.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        header_of(&resp, header::CACHE_CONTROL).as_deref(),
        Some("no-store")
    );
    // The others hold no personal data.
    for path in ["/exports/compliance/2024.csv", "/calendar/LAO.ics"] {
        let resp = get(&app, path, Some(&admin), &[]).await;
        assert_eq!(
            header_of(&resp, header::CACHE_CONTROL).as_deref(),
            Some("private, max-age=300"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn every_401_on_an_export_carries_a_bearer_challenge() {
    let app = spawn_app().await;
    let staff = app.token_for("DELEGATION", Some("LAO")).await;
    for path in [
        "/exports/compliance/2024.csv",
        "/exports/workplan/2024.csv",
        "/exports/contributions/2024.csv",
        "/exports/sponsorship/anything.csv",
    ] {
        // No token: the challenge alone. A conditional request gets no 304 either.
        let resp = get(&app, path, None, &[("if-none-match", "*")]).await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            header_of(&resp, header::WWW_AUTHENTICATE).as_deref(),
            Some("Bearer"),
            "{path}"
        );
        let body: Value = resp.json().await.expect("json");
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
        // A token that does not authenticate: why, too.
        for bad in ["garbage", "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"] {
            let resp = get(&app, path, Some(bad), &[]).await;
            assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
            assert_eq!(
                header_of(&resp, header::WWW_AUTHENTICATE).as_deref(),
                Some("Bearer error=\"invalid_token\""),
                "{path}"
            );
            let body: Value = resp.json().await.expect("json");
            assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
        }
        // Authenticated but not ISU staff: 403.
        let resp = get(&app, path, Some(&staff), &[]).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
    }
}
