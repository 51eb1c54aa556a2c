//! The console and the HTML reports in a real browser: headless Chromium, driven by
//! Playwright (`tests/browser/console.mjs`, `tests/browser/reports.mjs`), against a server
//! started here, with every other host unreachable. They need Debian's `chromium` and
//! `npm ci` in `tests/browser`, which `.ci/run` provides; run them with
//! `cargo test --test api browser -- --ignored`.

use crate::helpers::*;

#[tokio::test]
#[ignore = "needs Chromium and tests/browser's node modules; .ci/run runs it"]
async fn a_delegation_logs_in_and_runs_my_deadlines_in_the_offline_console() {
    let app = spawn_app().await;
    let email = app.create_user("DELEGATION", Some("LAO"), &[]).await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let shots = root.join("target").join("browser");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let shot = shots.join("console-my-deadlines.png");
    let _ = std::fs::remove_file(&shot);
    let script = root.join("tests/browser/console.mjs");
    let (base, shot_arg) = (app.base.clone(), shot.display().to_string());
    // The server runs on this test's runtime: wait for the browser on a blocking thread.
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(script)
            .args([
                base.as_str(),
                email.as_str(),
                PASSWORD,
                "LAO",
                shot_arg.as_str(),
            ])
            .output()
    })
    .await
    .expect("join")
    .expect("node runs (install Node.js, then `npm ci` in tests/browser)");
    assert!(
        out.status.success(),
        "browser test failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10_000, "a screenshot was saved ({size} bytes)");
}

/// The three HTML reports over the demo data, as ISU staff, in headless Chromium
/// (`tests/browser/reports.mjs`): each answers 200, logs no console error (a breach of the
/// page's Content-Security-Policy is one), asks no other host, has working contents links,
/// its charts inline and tables with captions and column headers, and fits a phone's width.
#[tokio::test]
#[ignore = "needs Chromium and tests/browser's node modules; .ci/run runs it"]
async fn the_html_reports_render_in_chromium_with_no_console_error_and_no_other_host() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date");
    let app = spawn_app_with(|s| s.today = Some(today)).await;
    let mut settings = ccm_isu::kernel::config::Settings::for_database(&app.url);
    settings.today = Some(today);
    ccm_isu::seed::demo(&app.db, &settings, PASSWORD)
        .await
        .expect("the demo loads");
    let token = app.token_for("ISU_STAFF", None).await;
    let plans = app
        .graphql_as(
            &token,
            "{ actionPlans { id firstYear lastYear } }",
            serde_json::json!({}),
        )
        .await;
    let plan = &plans["data"]["actionPlans"][0];
    let plan_id = plan["id"]
        .as_str()
        .expect("the demo's action plan")
        .to_owned();
    // The last year with values in the demo (2025), within the plan's years.
    let first = plan["firstYear"].as_i64().expect("firstYear");
    let last = plan["lastYear"].as_i64().expect("lastYear");
    let plan_year = 2025.clamp(first, last);

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let shots = root.join("target").join("browser");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let shot = shots.join("annual-report.png");
    let _ = std::fs::remove_file(&shot);
    let script = root.join("tests/browser/reports.mjs");
    let paths = [
        "/reports/annual/2026.html".to_owned(),
        "/reports/states/LAO.html".to_owned(),
        format!("/reports/action-plans/{plan_id}/{plan_year}.html"),
    ];
    let (base, shot_arg) = (app.base.clone(), shot.display().to_string());
    // The server runs on this test's runtime: wait for the browser on a blocking thread.
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(script)
            .args([base.as_str(), token.as_str(), shot_arg.as_str()])
            .args(&paths)
            .output()
    })
    .await
    .expect("join")
    .expect("node runs (install Node.js, then `npm ci` in tests/browser)");
    assert!(
        out.status.success(),
        "browser test failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // What each page held (shown with --nocapture).
    eprintln!("{}", String::from_utf8_lossy(&out.stdout));
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10_000, "a screenshot was saved ({size} bytes)");
}
