// Drives headless Chromium (Debian's, /usr/bin/chromium) against the console of a server
// started by tests/api/browser.rs, on a machine without internet: every request to another
// host is refused and fails the test. Logs in as a delegation, runs MyDeadlines from the
// examples, checks that the result shows the State's deadlines, tries completion, and saves
// a screenshot.
//
//   node tests/browser/console.mjs <base URL> <email> <password> <state code> <screenshot.png>

import { launch } from "./chromium.mjs";

const [base, email, password, stateCode, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error("usage: console.mjs <base URL> <email> <password> <state code> <screenshot.png>");
  process.exit(2);
}

const { context, close } = await launch({ width: 1400, height: 900 });

const outside = [];
const failures = [];
function check(ok, what) {
  if (!ok) failures.push(what);
}

try {
  const page = context.pages()[0] ?? (await context.newPage());
  // No internet: only the test server answers.
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    outside.push(url);
    return route.abort("internetdisconnected");
  });
  page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));

  await page.goto(`${base}/graphql`, { waitUntil: "load" });
  await page.waitForSelector("#schema-body .field", { timeout: 15000 });

  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("#login-button");
  await page.waitForFunction((e) => document.getElementById("who").textContent.includes(e), email, {
    timeout: 15000,
  });
  const authorization = await page.inputValue("#authorization");
  check(authorization.startsWith("Bearer "), "the login sets the Authorization header");

  await page.selectOption("#examples", { label: "deadlines.graphql · MyDeadlines" });
  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("result").textContent.includes('"obligations"'), null, {
    timeout: 15000,
  });
  const result = JSON.parse(await page.textContent("#result"));
  const state = result?.data?.me?.state;
  check(state?.code === stateCode, `the result names ${stateCode}: ${JSON.stringify(result).slice(0, 300)}`);
  const obligations = state?.obligations ?? [];
  check(obligations.length > 0, "the State's obligations are shown");
  check(
    obligations.some((o) => o.kind === "ANNUAL_TRANSPARENCY_REPORT" && /^\d{4}-\d{2}-\d{2}$/.test(o.dueDate)),
    "an annual report with its due date is shown",
  );
  const status = await page.textContent("#status");
  check(status.startsWith("HTTP 200"), `the status line says HTTP 200: ${status}`);
  await page.screenshot({ path: screenshot, fullPage: true });

  // Completion against the schema: `sta` inside `me { … }` offers `state`.
  await page.fill("#query", "{ me { sta");
  await page.focus("#query");
  await page.keyboard.press("End");
  await page.keyboard.press("Control+Space");
  await page.waitForSelector("#completions:not([hidden]) li", { timeout: 5000 });
  const offered = await page.$$eval("#completions li span", (xs) => xs.map((x) => x.textContent));
  check(offered.includes("state"), `completion offers state: ${offered}`);
  await page.keyboard.press("Enter");
  check((await page.inputValue("#query")) === "{ me { state", "accepting a completion writes it");
} catch (e) {
  failures.push(String(e?.stack ?? e));
} finally {
  await close();
}

check(outside.length === 0, `the console asked for other hosts: ${outside.join(", ")}`);
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`console test passed; screenshot ${screenshot}`);
