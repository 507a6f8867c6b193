// End-to-end tests of the web UI: a real `kiln server` serving the built UI (web/dist), driven
// through Debian's Chromium by playwright-core.
//
// usage: node e2e/run.mjs [FILTER ...]   (runs e2e/tests/*.mjs whose names contain a FILTER)
// env:   KILN_BIN  the kiln binary (default: build/kiln of this checkout)
//        CHROMIUM  the browser (default: /usr/bin/chromium)
//        KEEP=1    keep the server's data folder
//
// Each test file exports `default async function (t)`; see `makeContext` for what `t` offers.
// Files run in name order, each in a fresh browser context, against one shared server. A file
// fails on a thrown error, an uncaught exception in the page, a Content-Security-Policy violation
// the page reports (the UI must work under the server's policy), or any 5xx answer the page or
// the test saw (a client's mistake must never produce one). Screenshots go to e2e/screenshots/.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { kilnBin, repoRoot, runKiln, screenshotDir, startServer, stopServer, uiDir, webDir } from "./server.mjs";

const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const testDir = path.join(webDir, "e2e", "tests");
const fileTimeoutMs = 6 * 60 * 1000;

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(2);
}

function makeContext({ page, baseUrl, dataDir, serverErrors }) {
  return {
    page,
    baseUrl,
    dataDir,
    repoRoot,
    kiln: runKiln,
    async api(method, route, body) {
      const response = await fetch(baseUrl + route, {
        method,
        headers: body === undefined ? undefined : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status >= 500) serverErrors.push(`${method} ${route} -> ${response.status}`);
      if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : {};
    },
    async screenshot(name) {
      // From the top: a full-page capture keeps the scroll offset, and sticky bars with it.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
    },
    async step(title, fn) {
      const started = Date.now();
      try {
        await fn();
      } catch (e) {
        e.message = `step "${title}": ${e.message}`;
        throw e;
      }
      console.log(`    ok  ${title} (${Date.now() - started} ms)`);
    },
  };
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runFile(browser, file, server, dataDir) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  const pageErrors = [];
  const serverErrors = [];
  const cspViolations = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 500) serverErrors.push(`${r.request().method()} ${r.url()} -> ${r.status()}`);
  });
  const name = path.basename(file, ".mjs");
  try {
    const test = (await import(path.join(testDir, file))).default;
    await withTimeout(test(makeContext({ page, baseUrl: server.baseUrl, dataDir, serverErrors })), fileTimeoutMs, name);
    if (pageErrors.length) throw new Error(`uncaught errors in the page:\n  ${pageErrors.join("\n  ")}`);
    if (cspViolations.length) {
      throw new Error(`Content-Security-Policy violations:\n  ${cspViolations.join("\n  ")}`);
    }
    if (serverErrors.length) throw new Error(`server errors (5xx):\n  ${serverErrors.join("\n  ")}`);
    return true;
  } catch (e) {
    console.log(`    FAILED: ${e.stack ?? e}`);
    await page.screenshot({ path: path.join(screenshotDir, `FAILED-${name}.png`), fullPage: true }).catch(() => {});
    return false;
  } finally {
    await context.close();
  }
}

async function main() {
  if (!existsSync(kilnBin)) fail(`no kiln binary at ${kilnBin} (set KILN_BIN)`);
  if (!existsSync(path.join(uiDir, "index.html"))) fail(`no built UI in ${uiDir}: run npm run build`);
  if (!existsSync(browserPath)) fail(`no browser at ${browserPath}: apt-get install chromium`);
  const filters = process.argv.slice(2);
  const files = readdirSync(testDir)
    .filter((f) => f.endsWith(".mjs"))
    .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
    .sort();
  if (!files.length) fail(`no test files in ${testDir} match ${filters.join(" ") || "*"}`);

  mkdirSync(screenshotDir, { recursive: true });
  const workDir = mkdtempSync(path.join(tmpdir(), "kiln-e2e-"));
  const dataDir = path.join(workDir, "data");
  const logPath = path.join(workDir, "server.log");
  const server = await startServer(dataDir, logPath);
  console.log(`e2e: kiln server at ${server.baseUrl} (data ${dataDir}, log ${logPath})`);
  const browser = await chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });

  let passed = 0;
  let failed = 0;
  for (const file of files) {
    console.log(`e2e: ${file}`);
    const started = Date.now();
    const ok = await runFile(browser, file, server, dataDir);
    console.log(`e2e: ${ok ? "PASS" : "FAIL"} ${file} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (ok) passed++;
    else failed++;
  }
  await browser.close();
  await stopServer(server.child);
  if (failed) console.log(`e2e: server log kept at ${logPath}`);
  else if (!process.env.KEEP) rmSync(workDir, { recursive: true, force: true });
  console.log(`screenshots: ${screenshotDir}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
