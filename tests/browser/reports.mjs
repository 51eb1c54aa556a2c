// Opens the HTML management reports of a server started by tests/api/browser.rs in headless
// Chromium (Debian's, /usr/bin/chromium), as a signed-in user: the bearer token goes only to
// the server's own host. Fails on any console error (a Content-Security-Policy violation is
// one), any page error, any request to another host, a report that does not answer 200 with
// HTML, a table of contents link that leads nowhere, a page without its inline charts where
// it has figures, or a page wider than a phone's screen. Saves a screenshot of the first
// report.
//
//   node tests/browser/reports.mjs <base URL> <token> <screenshot.png> <path> [<path>…]

import { launch } from "./chromium.mjs";

const [base, token, screenshot, ...paths] = process.argv.slice(2);
if (!paths.length) {
  console.error("usage: reports.mjs <base URL> <token> <screenshot.png> <path> [<path>…]");
  process.exit(2);
}
const host = new URL(base).host;

const { context, close } = await launch({ width: 1280, height: 900 });

const outside = [];
const failures = [];
function check(ok, what) {
  if (!ok) failures.push(what);
}

try {
  const page = context.pages()[0] ?? (await context.newPage());
  // Only the test server answers, and only it receives the token.
  await page.route("**/*", (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.host === host && (url.protocol === "http:" || url.protocol === "https:")) {
      return route.continue({ headers: { ...request.headers(), authorization: `Bearer ${token}` } });
    }
    outside.push(request.url());
    return route.abort("internetdisconnected");
  });
  let current = "";
  page.on("console", (message) => {
    if (message.type() === "error") failures.push(`${current}: console error: ${message.text()}`);
  });
  page.on("pageerror", (e) => failures.push(`${current}: page error: ${e.message}`));
  page.on("requestfailed", (request) => {
    if (new URL(request.url()).host === host) {
      failures.push(`${current}: request failed: ${request.url()} ${request.failure()?.errorText}`);
    }
  });

  for (const [i, path] of paths.entries()) {
    current = path;
    await page.setViewportSize({ width: 1280, height: 900 });
    const response = await page.goto(`${base}${path}`, { waitUntil: "load" });
    const status = response?.status();
    const type = response?.headers()["content-type"] ?? "";
    check(status === 200, `${path}: HTTP ${status}`);
    check(type.startsWith("text/html"), `${path}: content type ${type}`);
    if (status !== 200) continue;

    const title = await page.title();
    check(title.length > 0, `${path}: the page has a title`);
    const headings = await page.$$eval("main h2", (hs) => hs.map((h) => h.textContent));
    check(headings.length > 0, `${path}: the report has sections`);
    // Every entry of the table of contents leads to its heading.
    const dangling = await page.$$eval("nav a[href^='#']", (as) =>
      as.map((a) => a.getAttribute("href").slice(1)).filter((id) => !document.getElementById(id)),
    );
    check(dangling.length === 0, `${path}: contents links lead nowhere: ${dangling.join(", ")}`);
    // Each figure holds its chart inline, laid out with a size.
    const figures = await page.$$eval("figure", (fs) =>
      fs.map((f) => {
        const svg = f.querySelector("svg");
        const box = svg?.getBoundingClientRect();
        return { svg: !!svg, width: box?.width ?? 0, height: box?.height ?? 0, title: !!svg?.querySelector("title") };
      }),
    );
    for (const [n, f] of figures.entries()) {
      check(f.svg && f.width > 100 && f.height > 50, `${path}: figure ${n + 1} shows its chart: ${JSON.stringify(f)}`);
      check(f.title, `${path}: figure ${n + 1}'s chart has its <title>`);
    }
    const tables = await page.$$eval("table", (ts) =>
      ts.map((t) => ({ caption: !!t.querySelector("caption"), th: t.querySelectorAll("thead th[scope='col']").length })),
    );
    for (const [n, t] of tables.entries()) {
      check(t.caption && t.th > 0, `${path}: table ${n + 1} has a caption and column headers: ${JSON.stringify(t)}`);
    }
    if (i === 0) await page.screenshot({ path: screenshot });

    // On a phone the page scrolls down, not sideways (wide tables scroll in their own box).
    await page.setViewportSize({ width: 390, height: 844 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 391, `${path}: the page is ${width}px wide on a 390px phone`);
    console.log(`${path}: ${headings.length} sections, ${tables.length} tables, ${figures.length} figures`);
  }
} catch (e) {
  failures.push(String(e?.stack ?? e));
} finally {
  await close();
}

check(outside.length === 0, `the reports asked for other hosts: ${outside.join(", ")}`);
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`reports test passed; screenshot ${screenshot}`);
