/**
 * Search and filter on the demo experiment: the experiment page links to the search page, a
 * phrase the demo's users say is found and marked, the count on the page equals the API's total
 * for the same query and filters (set through the form, kept in the URL), the list renders only
 * the rows in view, and a row opens its group at the matching turn.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoExperiment } from "./demo";

/** The demo's simulated users give this reason for cancelling. */
const PHRASE = "weather";

async function apiTotal(request: APIRequestContext, exp: number, query: string): Promise<number> {
  const res = await request.get(`/api/experiments/${exp}/search?${query}`);
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { total: number }).total;
}

test("search finds a known phrase; the filtered count matches the API; a row opens its group", async ({ page, request }) => {
  test.setTimeout(240_000);
  const exp = await demoExperiment(request);

  await page.goto(`/experiments/${exp}`);
  await page.getByTestId("search-link").click();
  await expect(page).toHaveURL(new RegExp(`/experiments/${exp}/search$`));
  const everything = await apiTotal(request, exp, "");
  await expect(page.getByTestId("search-total")).toHaveText(everything.toLocaleString("en-US"));
  // Virtualised: only the rows in view (plus overscan) are in the DOM.
  expect(await page.getByTestId("search-row").count()).toBeLessThan(Math.min(everything, 40));

  await page.getByTestId("search-input").fill(PHRASE);
  await page.getByTestId("search-submit").click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${PHRASE}`));
  const found = await apiTotal(request, exp, `q=${PHRASE}`);
  expect(found).toBeGreaterThan(0);
  await expect(page.getByTestId("search-total")).toHaveText(found.toLocaleString("en-US"));
  const firstSnippet = page.getByTestId("search-snippet").first();
  await expect(firstSnippet.locator("mark").first()).toHaveText(new RegExp(`^${PHRASE}$`, "i"));

  await page.getByTestId("filter-outcome").selectOption("fail");
  await page.getByTestId("search-submit").click();
  await expect(page).toHaveURL(/outcome=fail/);
  const failed = await apiTotal(request, exp, `q=${PHRASE}&outcome=fail`);
  expect(failed).toBeLessThan(found);
  await expect(page.getByTestId("search-total")).toHaveText(failed.toLocaleString("en-US"));
  if (failed > 0) {
    await expect(page.getByTestId("search-row").first()).toContainText("fail");
  }

  // The URL alone restores the search (shareable).
  await page.goto(`/experiments/${exp}/search?q=${PHRASE}&outcome=fail`);
  await expect(page.getByTestId("search-total")).toHaveText(failed.toLocaleString("en-US"));
  await expect(page.getByTestId("search-input")).toHaveValue(PHRASE);

  await page.goto(`/experiments/${exp}/search?q=${PHRASE}`);
  const link = page.getByTestId("search-row-link").first();
  const href = await link.getAttribute("href");
  expect(href).toMatch(new RegExp(`^/experiments/${exp}/groups/[^?]+\\?turn=\\d+&sibling=\\d+`));
  await link.click();
  await expect(page).toHaveURL(/\/groups\/.+turn=\d+/);
});

test("a bad filter shows the API's error, not a blank page", async ({ page, request }) => {
  const exp = await demoExperiment(request);
  await page.goto(`/experiments/${exp}/search?w=abc`);
  await expect(page.getByTestId("search-error")).toContainText("w");
});
