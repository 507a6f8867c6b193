// The shell: the server serves the built UI at /, client-side routes load on a fresh visit
// (the server answers index.html for them), and every area of the navigation opens.
import assert from "node:assert/strict";

const areas = ["Pipelines", "Runs", "Models", "Deployments", "Datasets", "Modules"];

export default async function (t) {
  const { page } = t;
  await t.step("/ opens the pipelines area", async () => {
    await page.goto(t.baseUrl + "/");
    await page.waitForURL(/\/pipelines$/);
    await page.getByRole("link", { name: "Kiln" }).waitFor();
  });
  await t.step("every area of the navigation opens", async () => {
    for (const area of areas) {
      await page.getByRole("navigation").getByRole("link", { name: area }).click();
      // Navigation finishes once the page's chunk is loaded: the link turns active then.
      await page.waitForFunction((name) => document.querySelector("nav a.active")?.textContent === name, area);
      await page.locator("h1").first().waitFor();
    }
  });
  await t.step("a deep link loads on a fresh visit", async () => {
    const response = await page.goto(t.baseUrl + "/modules");
    assert.equal(response.status(), 200);
    assert.match(response.headers()["content-type"], /text\/html/);
    await page.locator("h1").first().waitFor();
  });
  await t.step("an unknown page says so", async () => {
    await page.goto(t.baseUrl + "/no/such/page");
    await page.getByText("Page not found").waitFor();
  });
  await t.step("API routes stay JSON", async () => {
    const response = await fetch(t.baseUrl + "/api/v1/no-such-route");
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error_code, "ENDPOINT_NOT_FOUND");
  });
}
