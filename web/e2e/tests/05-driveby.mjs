// A drive-by from another origin: a page served from another loopback port (a different
// origin, as any web site the user visits is) tries to make the real server run a command,
// with the requests browsers send without asking the server first: fetch(..., {mode:
// "no-cors"}) with a text/plain JSON body, and a hidden auto-submitted text/plain form, against
// /api/v1/pipeline-runs and /api/v1/schedules. Nothing may run and nothing may be stored.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

// The attacking page. A text/plain form sends "NAME=VALUE\r\n": with the JSON up to an open
// string in NAME and its end in VALUE, the body is the JSON object the attacker wants.
function attackPage(kiln, bodies) {
  const escape = (s) => s.replaceAll("&", "&amp;").replaceAll("'", "&#39;");
  const forms = bodies.map(({ route, json }, i) => {
    const text = JSON.stringify({ ...json, pad: "" });
    const name = text.slice(0, -2); // up to and with the opening quote of pad's value
    return `<form id="f${i}" method="POST" enctype="text/plain" action="${kiln}${route}"
        target="sink${i}"><input type="hidden" name='${escape(name)}' value='"}'></form>
      <iframe name="sink${i}" style="display:none"></iframe>`;
  });
  const fetches = bodies.map(
    ({ route, json }) =>
      `fetch(${JSON.stringify(kiln + route)}, {method: "POST", mode: "no-cors",
       headers: {"Content-Type": "text/plain"}, body: ${JSON.stringify(JSON.stringify(json))}})`,
  );
  return `<!doctype html><html><body>${forms.join("\n")}
    <script>
      Promise.allSettled([${fetches.join(",")}]).then(() => {
        ${bodies.map((_, i) => `document.getElementById("f${i}").submit();`).join("\n")}
        window.attackDone = true;
      });
    </script></body></html>`;
}

function serve(html) {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(html);
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

async function storeState(t) {
  const runs = (await t.api("GET", "/api/v1/pipeline-runs?max_results=1000")).runs;
  const schedules = (await t.api("GET", "/api/v1/schedules")).schedules;
  return { runs: runs.map((r) => r.run_id).sort(), schedules: schedules.map((s) => s.schedule_id).sort() };
}

export default async function (t) {
  const work = mkdtempSync(path.join(tmpdir(), "kiln-driveby-"));
  const marker = path.join(work, "pwned");
  const baseDir = path.join(t.dataDir, "pipelines", "driveby");
  mkdirSync(baseDir, { recursive: true });
  const spec = `name: driveby\nsteps:\n  pwn:\n    command: [touch, ${marker}]\n`;
  const bodies = [
    { route: "/api/v1/pipeline-runs", json: { spec, file: "p.yaml", base_dir: baseDir } },
    {
      route: "/api/v1/schedules",
      json: { name: "driveby", cron: "* * * * *", spec, file: "p.yaml", base_dir: baseDir },
    },
  ];
  const before = await storeState(t);
  const attacker = await serve(attackPage(t.baseUrl, bodies));
  const attackUrl = `http://127.0.0.1:${attacker.address().port}/`;
  // Its own page, so that what the attack page provokes (refused frames) stays out of the
  // checks on the UI's pages.
  const page = await t.page.context().newPage();
  const answers = [];
  page.on("response", (r) => {
    if (r.url().startsWith(t.baseUrl)) answers.push(`${r.request().method()} ${r.url()} ${r.status()}`);
  });
  try {
    await t.step("the attack page from another origin sends its requests", async () => {
      await page.goto(attackUrl);
      await page.waitForFunction(() => window.attackDone === true);
      // Two fetches and two form posts reach the server, and each is refused.
      const deadline = Date.now() + 10000;
      while (answers.length < 4 && Date.now() < deadline) await page.waitForTimeout(100);
      assert.equal(answers.length, 4, answers.join("\n"));
      for (const answer of answers) assert.match(answer, /^POST .* 403$/, answers.join("\n"));
    });
    await t.step("nothing ran and nothing was stored", async () => {
      await page.waitForTimeout(1500); // a run would have touched the marker by now
      assert.equal(existsSync(marker), false, "the command ran");
      assert.deepEqual(await storeState(t), before);
    });
  } finally {
    await page.close();
    attacker.close();
    rmSync(work, { recursive: true, force: true });
  }
}
