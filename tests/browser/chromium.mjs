// Debian's Chromium, headless, for the browser tests (console.mjs, reports.mjs): a fresh
// profile, and no background traffic (this machine has no internet; without these flags
// Chromium's own connections fail at every start).
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The browser's context, and `close()`, which closes it and removes its profile.
export async function launch(viewport) {
  const profile = mkdtempSync(join(tmpdir(), "ccm-isu-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
    viewport,
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}
