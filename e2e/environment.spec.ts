import { expect, test } from "@playwright/test";

test("search a user, follow links user → reservation → flight", async ({ page }) => {
  await page.goto("/environment");
  await expect(page.getByRole("heading", { name: "Environment" })).toBeVisible();
  const first = page.getByTestId("user-row").first();
  await expect(first).toBeVisible();
  // Search by the first user's last name (from the listing itself, so the test fits any seed).
  const fullName = (await first.locator("td").nth(1).innerText()).trim();
  const lastName = fullName.split(" ").pop()!;
  await page.getByLabel("Search users").fill(lastName);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${lastName}`));
  const rows = page.getByTestId("user-row");
  await expect(rows.first()).toContainText(lastName);

  await rows.filter({ hasText: fullName }).first().getByRole("link").click();
  await expect(page.getByRole("heading", { name: fullName })).toBeVisible();
  const resRow = page.getByTestId("user-reservation-row").first();
  const resId = (await resRow.getByRole("link").first().innerText()).trim();
  await resRow.getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: `Reservation ${resId}` })).toBeVisible();
  await expect(page.getByTestId("reservation-user-link")).toBeVisible();

  await page.getByRole("table").first().getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: /^Flight / })).toBeVisible();
  await expect(page.getByTestId("flight-date-row").first()).toBeVisible();
  await expect(page.locator('[data-testid="flight-date-row"][aria-current="true"]')).toHaveCount(1);
});

test("tools and policy tabs are addressable", async ({ page }) => {
  await page.goto("/environment?tab=tools");
  await expect(page.getByTestId("tool-row")).toHaveCount(14);
  await page.getByRole("link", { name: "Policy" }).click();
  await expect(page).toHaveURL(/tab=policy/);
  await expect(page.getByTestId("policy-text")).toContainText("rules for the agent");
});
