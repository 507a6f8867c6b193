// Laptop and wide screens: every main page fits the window's width (no sideways scrolling of
// the whole page; wide tables and canvases scroll inside their own boxes). Run after the other
// files, the pages hold their data; alone, they are checked empty.
import assert from "node:assert/strict";

const sizes = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

async function pagesToVisit(t) {
  const paths = ["/pipelines", "/pipelines/new", "/experiments", "/models", "/deployments", "/datasets", "/modules"];
  const experiments = (await t.api("GET", "/api/v1/experiments")).experiments ?? [];
  if (experiments.length) paths.push(`/experiments/${experiments[experiments.length - 1].experiment_id}`);
  const runs = (await t.api("GET", "/api/v1/runs?max_results=1")).runs ?? [];
  if (runs.length) paths.push(`/runs/${runs[0].info.run_id}`);
  const pipelines = (await t.api("GET", "/api/v1/pipelines")).pipelines ?? [];
  if (pipelines.length) paths.push(`/pipelines/${encodeURIComponent(pipelines[0].name)}`);
  const models = (await t.api("GET", "/api/v1/models")).models ?? [];
  if (models.length) paths.push(`/models/${encodeURIComponent(models[0].name)}`);
  const pipelineRuns = (await t.api("GET", "/api/v1/pipeline-runs?max_results=50")).runs ?? [];
  const finished = pipelineRuns.find((r) => r.status === "SUCCEEDED" && r.pipeline === "iris") ?? pipelineRuns[0];
  if (finished) paths.push(`/pipeline-runs/${finished.run_id}`);
  if (pipelines.length) paths.push(`/pipelines/${encodeURIComponent(pipelines[0].name)}/edit`);
  const deployments = (await t.api("GET", "/api/v1/deployments")).deployments ?? [];
  if (deployments.length) paths.push(`/deployments/${encodeURIComponent(deployments[0].name)}`);
  return paths;
}

export default async function (t) {
  const { page } = t;
  const paths = await pagesToVisit(t);
  for (const size of sizes) {
    await t.step(`${paths.length} pages fit ${size.width}x${size.height}`, async () => {
      await page.setViewportSize(size);
      for (const path of paths) {
        await page.goto(t.baseUrl + path);
        await page.locator("h1").first().waitFor();
        await page.waitForTimeout(400); // let the data arrive and render (some pages poll, so no "network idle")
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${path} is ${overflow}px wider than a ${size.width}px window`);
      }
    });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(t.baseUrl + "/pipelines");
  await page.locator("h1").first().waitFor();
  await t.screenshot("laptop-pipelines");
}
