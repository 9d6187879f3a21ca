import { expect, test, type Page } from "@playwright/test";

const rowFor = (page: Page, payloadText: string) => page.locator('[data-testid^="job-row-"]').filter({ hasText: payloadText });

async function enqueueSleep(page: Page, steps: number, stepMs: number) {
  await page.getByLabel("Steps").fill(String(steps));
  await page.getByLabel("Step ms").fill(String(stepMs));
  await page.getByRole("button", { name: "Enqueue demo.sleep" }).click();
}

test("home page links to every section", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "WRIT Lab" })).toBeVisible();
  for (const name of ["Experiments", "Tasks", "Environment", "Jobs"]) {
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name })).toBeVisible();
  }
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
});

test("a demo job enqueued from the UI runs to done with live progress", async ({ page }) => {
  await page.goto("/jobs");
  await enqueueSleep(page, 4, 400);
  const row = rowFor(page, "steps=4 stepMs=400");
  await expect(row).toHaveCount(1);
  // Live updates: it is seen running part-way, then done, without reloading the page.
  await expect(row).toHaveAttribute("data-status", "running", { timeout: 15_000 });
  await expect(row).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  await expect(row.getByTestId("job-progress")).toHaveText("4/4");
  await expect(row.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "4");
});

test("a running job can be cancelled from the UI", async ({ page }) => {
  await page.goto("/jobs");
  await enqueueSleep(page, 300, 500);
  const row = rowFor(page, "steps=300 stepMs=500");
  await expect(row).toHaveAttribute("data-status", "running", { timeout: 15_000 });
  await row.getByRole("button", { name: /Cancel job/ }).click();
  await expect(row).toHaveAttribute("data-status", "cancelled", { timeout: 5_000 });
  await expect(row.getByRole("button", { name: /Retry job/ })).toBeVisible();
});
