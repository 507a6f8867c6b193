// The web UI in Firefox: a real `kiln server` (serving web/dist) seeded through the CLI with the
// iris example (a two-point sweep; plus a metric history on one train run, logged over the
// MLflow API, so the run page draws a chart), a dataset, a published module and a deployment; then Debian's
// firefox-esr, driven headless over WebDriver BiDi (e2e/bidi.mjs), opens every main page, waits
// until its data shows, checks that no JavaScript error was logged, no 5xx answer was seen and
// no error banner is shown, and saves e2e/screenshots/firefox-PAGE.png. On /deployments/iris it
// also fills "Try it" and waits for the prediction.
//
// usage: node e2e/firefox.mjs [FILTER ...]   (only the pages whose names contain a FILTER)
// env:   KILN_BIN  the kiln binary (default: build/kiln of this checkout)
//        FIREFOX   the browser (default: /usr/bin/firefox-esr)
//        KEEP=1    keep the work folder (server data, logs, Firefox profile)
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BidiConnection, Tab, launchFirefox } from "./bidi.mjs";
import { kilnBin, repoRoot, runKiln, screenshotDir, startServer, stopServer, uiDir } from "./server.mjs";
import { pages } from "./firefox-pages.mjs";

// Node 20 has WebSocket only behind a flag: run again with it.
if (typeof WebSocket === "undefined") {
  const again = spawnSync(process.execPath, ["--experimental-websocket", ...process.argv.slice(1)], {
    stdio: "inherit",
  });
  process.exit(again.status ?? 1);
}

const firefoxPath = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
const viewport = { width: 1440, height: 900 };

function fail(message) {
  console.error(`e2e-firefox: ${message}`);
  process.exit(2);
}

/** The iris sweep (max_depth 2 and 3), dataset iris, module train-xgboost and deployment iris. */
async function seed(baseUrl) {
  const server = ["--server", baseUrl];
  const iris = path.join(repoRoot, "examples", "iris");
  await runKiln(["data", "add", path.join(iris, "iris.csv"), "--name", "iris", ...server]);
  await runKiln(["module", "publish", path.join(repoRoot, "modules", "train-xgboost"), ...server]);
  const ran = await runKiln(["run", "pipeline.yaml", "-m", "max_depth=2,3", "--json", ...server], { cwd: iris });
  const runs = JSON.parse(ran.stdout).runs;
  if (runs.length !== 2 || runs.some((r) => r.status !== "SUCCEEDED")) {
    throw new Error(`the iris sweep did not give two succeeded runs:\n${ran.stdout}`);
  }
  await runKiln(["deploy", "iris", "--model", "iris-classifier@champion", ...server]);
  const stepRun = (name) => runs[0].steps.find((s) => s.step === name).run_id;
  const trainRunId = stepRun("train");
  await logLossHistory(baseUrl, trainRunId);
  const run = await (await fetch(`${baseUrl}/api/v1/runs/${runs[0].run_id}`)).json();
  return {
    pipelineRunId: runs[0].run_id,
    compareIds: runs.map((r) => r.run_id),
    trainRunId,
    evaluateRunId: stepRun("evaluate"),
    experimentId: run.run.info.experiment_id,
  };
}

/** A metric over steps on the train run (its own metrics are single values), so it gets a chart. */
async function logLossHistory(baseUrl, runId) {
  const metrics = Array.from({ length: 20 }, (_, step) => ({
    key: "train_loss",
    value: 1 / (step + 1),
    step,
    timestamp: Date.now(),
  }));
  const response = await fetch(`${baseUrl}/api/2.0/mlflow/runs/log-batch`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ run_id: runId, metrics }),
  });
  if (!response.ok) throw new Error(`log-batch: ${response.status} ${await response.text()}`);
}

/** Collects what the browser reports: JavaScript errors and console errors, 5xx answers. */
function watchProblems(bidi) {
  const problems = [];
  bidi.on("log.entryAdded", (entry) => {
    if (entry.type === "javascript" || entry.level === "error") {
      problems.push(`${entry.type} ${entry.level}: ${entry.text}`);
    }
  });
  bidi.on("network.responseCompleted", ({ request, response }) => {
    if (response.status >= 500) problems.push(`${request.method} ${request.url} -> ${response.status}`);
  });
  return problems;
}

async function openBrowser(workDir) {
  const profileDir = path.join(workDir, "profile");
  mkdirSync(profileDir);
  const log = createWriteStream(path.join(workDir, "firefox.log"));
  const firefox = await launchFirefox({ binary: firefoxPath, profileDir, log });
  try {
    const bidi = await BidiConnection.open(`${firefox.wsUrl}/session`);
    await bidi.send("session.new", { capabilities: {} });
    const problems = watchProblems(bidi);
    await bidi.send("session.subscribe", { events: ["log.entryAdded", "network.responseCompleted"] });
    const tab = await Tab.first(bidi, viewport);
    return { firefox, bidi, tab, problems };
  } catch (e) {
    await stopServer(firefox.child);
    throw e;
  }
}

async function closeBrowser({ firefox, bidi }) {
  await bidi.send("browser.close", {}, 5000).catch(() => {});
  bidi.close();
  await stopServer(firefox.child);
}

/** Opens one page, waits for its data, checks it, runs its interaction and saves a screenshot. */
async function checkPage(browser, baseUrl, page, seeded) {
  const { tab, problems } = browser;
  problems.length = 0;
  await tab.goto(baseUrl + page.path(seeded));
  await tab.waitFor(page.what, page.ready, page.args?.(seeded) ?? []);
  if (page.interact) await page.interact(tab, seeded);
  const banner = await tab.call(() => document.querySelector("[data-testid=error-banner]")?.textContent ?? "");
  if (banner) throw new Error(`an error banner shows: ${banner}`);
  await new Promise((r) => setTimeout(r, 400)); // charts finish their entry animation
  await tab.call(() => window.scrollTo(0, 0));
  writeFileSync(path.join(screenshotDir, `firefox-${page.name}.png`), await tab.screenshot());
  if (problems.length) throw new Error(`the browser reported:\n      ${problems.join("\n      ")}`);
}

async function runPages(browser, baseUrl, seeded, selected) {
  let passed = 0;
  let failed = 0;
  for (const page of selected) {
    const started = Date.now();
    try {
      await checkPage(browser, baseUrl, page, seeded);
      console.log(`e2e-firefox: PASS ${page.name} (${Date.now() - started} ms)`);
      passed++;
    } catch (e) {
      console.log(`e2e-firefox: FAIL ${page.name}: ${e.message}`);
      await browser.tab.call(() => window.scrollTo(0, 0)).catch(() => {});
      const shot = await browser.tab.screenshot().catch(() => undefined);
      if (shot) writeFileSync(path.join(screenshotDir, `FAILED-firefox-${page.name}.png`), shot);
      failed++;
    }
  }
  return { passed, failed };
}

async function main() {
  if (!existsSync(kilnBin)) fail(`no kiln binary at ${kilnBin} (set KILN_BIN)`);
  if (!existsSync(path.join(uiDir, "index.html"))) fail(`no built UI in ${uiDir}: run npm run build`);
  if (!existsSync(firefoxPath)) fail(`no browser at ${firefoxPath}: apt-get install firefox-esr`);
  const filters = process.argv.slice(2);
  const selected = pages.filter((p) => !filters.length || filters.some((f) => p.name.includes(f)));
  if (!selected.length) fail(`no page matches ${filters.join(" ")}`);

  mkdirSync(screenshotDir, { recursive: true });
  const workDir = mkdtempSync(path.join(tmpdir(), "kiln-e2e-firefox-"));
  const logPath = path.join(workDir, "server.log");
  const server = await startServer(path.join(workDir, "data"), logPath);
  console.log(`e2e-firefox: kiln server at ${server.baseUrl} (work folder ${workDir})`);
  let browser;
  let result = { passed: 0, failed: 1 };
  try {
    const seeded = await seed(server.baseUrl);
    console.log(`e2e-firefox: seeded ${JSON.stringify(seeded)}`);
    browser = await openBrowser(workDir);
    result = await runPages(browser, server.baseUrl, seeded, selected);
  } catch (e) {
    console.log(`e2e-firefox: ${e.stack ?? e}`);
  } finally {
    if (browser) await closeBrowser(browser);
    await stopServer(server.child);
  }
  if (result.failed) console.log(`e2e-firefox: logs kept in ${workDir}`);
  else if (!process.env.KEEP) rmSync(workDir, { recursive: true, force: true });
  console.log(`screenshots: ${screenshotDir}`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
  process.exit(result.failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
