//! The console in a real browser: headless Chromium, driven by Playwright
//! (`tests/browser/console.mjs`), against a server started here, with every other host
//! unreachable. It needs Debian's `chromium` and `npm ci` in `tests/browser`, which `.ci/run`
//! provides; run it with `cargo test --test api browser -- --ignored`.

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
