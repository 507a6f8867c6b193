// Times the web UI's run table on a large experiment in Debian's Chromium: from navigation to
// the first page of rows on screen, cold (a fresh browser context each time) and warm (the
// same page navigating again), and the next page. Prints one JSON object of medians (ms).
// usage: node bench/ui_run_table_bench.mjs BASE_URL EXPERIMENT_ID [REPS]
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "web", "package.json"));
const { chromium } = require("playwright-core");

const [base, experimentId, repsText = "7"] = process.argv.slice(2);
const reps = Number(repsText);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function firstPage(page) {
  const started = performance.now();
  await page.goto(`${base}/experiments/${experimentId}`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="run-row"]').length >= 50);
  return performance.now() - started;
}

async function nextPage(page) {
  const first = await page.locator('[data-testid="run-row"]').first().getAttribute("data-run-id");
  const started = performance.now();
  await page.getByRole("button", { name: /next/i }).first().click();
  await page.waitForFunction(
    (id) => {
      const rows = document.querySelectorAll('[data-testid="run-row"]');
      return rows.length >= 50 && rows[0].getAttribute("data-run-id") !== id;
    },
    first,
  );
  return performance.now() - started;
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"] });
const cold = [];
const warm = [];
const next = [];
for (let i = 0; i < reps; i++) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  cold.push(await firstPage(page));
  warm.push(await firstPage(page));
  next.push(await nextPage(page));
  await context.close();
}
await browser.close();
const round = (x) => Math.round(x);
console.log(JSON.stringify({ reps, cold_first_page_ms: round(median(cold)),
  warm_first_page_ms: round(median(warm)), next_page_ms: round(median(next)) }));
