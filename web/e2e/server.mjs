// What the end-to-end runners share: where things are, and a real `kiln server` (started on an
// ephemeral port with a fresh data folder, serving the built UI) plus the kiln CLI next to it.
// Used by e2e/run.mjs (Chromium through playwright-core) and e2e/firefox.mjs (Firefox, BiDi).
//
// env: KILN_BIN  the kiln binary (default: build/kiln of this checkout)
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.resolve(webDir, "..");
export const kilnBin = process.env.KILN_BIN ?? path.join(repoRoot, "build", "kiln");
export const uiDir = path.join(webDir, "dist");
export const screenshotDir = path.join(webDir, "e2e", "screenshots");

/** Starts `kiln server` on an ephemeral port; resolves {child, baseUrl} once it prints its address. */
export function startServer(dataDir, logPath) {
  // Pipelines sent over HTTP must live in the server's pipeline roots: the tests use the repo's
  // examples and pipeline files written to the temporary folder.
  const roots = [path.join(repoRoot, "examples"), tmpdir()].join(",");
  const args = [
    "server",
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--data",
    dataDir,
    "--ui-dir",
    uiDir,
    "--pipeline-roots",
    roots,
  ];
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

/** Stops a child process: SIGTERM, then SIGKILL after 5 s. */
export function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.on("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Runs the kiln CLI; rejects on a non-zero exit unless `allowFail`. */
export function runKiln(args, { cwd = repoRoot, allowFail = false, timeoutMs = 300000 } = {}) {
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
