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
// fails on a thrown error, an uncaught exception in the page, or any 5xx answer the page or the
// test saw (a client's mistake must never produce one). Screenshots go to e2e/screenshots/.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, existsSync, createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(webDir, "..");
const kilnBin = process.env.KILN_BIN ?? path.join(repoRoot, "build", "kiln");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const uiDir = path.join(webDir, "dist");
const screenshotDir = path.join(webDir, "e2e", "screenshots");
const testDir = path.join(webDir, "e2e", "tests");
const fileTimeoutMs = 6 * 60 * 1000;

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(2);
}

/** Starts `kiln server` on an ephemeral port; resolves once it prints its address. */
function startServer(dataDir, logPath) {
  const args = ["server", "--host", "127.0.0.1", "--port", "0", "--data", dataDir, "--ui-dir", uiDir];
  const child = spawn(kilnBin, args, { stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(logPath);
  child.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("kiln server did not start in 20 s")), 20000);
    let buffered = "";
    child.stdout.on("data", (chunk) => {
      log.write(chunk);
      buffered += chunk.toString();
      const match = buffered.match(/Kiln server listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, baseUrl: match[1] });
      }
    });
    child.on("exit", (code) => reject(new Error(`kiln server exited with ${code}; see ${logPath}`)));
  });
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.on("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Runs the kiln CLI; rejects on a non-zero exit unless `allowFail`. */
function runKiln(args, { cwd = repoRoot, allowFail = false, timeoutMs = 300000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(kilnBin, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr };
      if (code !== 0 && !allowFail) {
        reject(new Error(`kiln ${args.join(" ")} exited with ${code}:\n${stderr || stdout}`));
      } else resolve(result);
    });
  });
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
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("response", (r) => {
    if (r.status() >= 500) serverErrors.push(`${r.request().method()} ${r.url()} -> ${r.status()}`);
  });
  const name = path.basename(file, ".mjs");
  try {
    const test = (await import(path.join(testDir, file))).default;
    await withTimeout(test(makeContext({ page, baseUrl: server.baseUrl, dataDir, serverErrors })),
      fileTimeoutMs, name);
    if (pageErrors.length) throw new Error(`uncaught errors in the page:\n  ${pageErrors.join("\n  ")}`);
    if (serverErrors.length) throw new Error(`server errors (5xx):\n  ${serverErrors.join("\n  ")}`);
    return true;
  } catch (e) {
    console.log(`    FAILED: ${e.stack ?? e}`);
    await page.screenshot({ path: path.join(screenshotDir, `FAILED-${name}.png`), fullPage: true })
      .catch(() => {});
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
  const browser = await chromium.launch({ executablePath: browserPath, headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage"] });

  let passed = 0;
  let failed = 0;
  for (const file of files) {
    console.log(`e2e: ${file}`);
    const started = Date.now();
    const ok = await runFile(browser, file, server, dataDir);
    console.log(`e2e: ${ok ? "PASS" : "FAIL"} ${file} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    ok ? passed++ : failed++;
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
