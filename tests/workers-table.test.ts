/** The Workers table as the browser gets it (server-rendered markup): grouping, stale rows, text only. */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { WorkersTable } from "../components/jobs/workers-table";
import { buildWorkersOverview } from "../lib/jobs/workers-view";
import type { JobRow, WorkerRow } from "../db/schema";

const NOW = 1_800_000_000_000;

function workerRow(over: Partial<WorkerRow> & Pick<WorkerRow, "id" | "host">): WorkerRow {
  return {
    pid: 1,
    concurrency: 4,
    running: 0,
    status: "running",
    startedAt: NOW - 600_000,
    heartbeatAt: NOW - 300,
    version: null,
    nodeVersion: null,
    jobsDone: 0,
    jobsFailed: 0,
    rolloutsDone: 0,
    jobsPerMin: 0,
    rolloutsPerSec: 0,
    ...over,
  };
}

const runningJob = (id: number, owner: string, payload: unknown): Pick<JobRow, "id" | "name" | "payload" | "leaseOwner" | "progressDone" | "progressTotal" | "progressMessage" | "startedAt"> => ({
  id,
  name: "rollouts.run",
  payload,
  leaseOwner: owner,
  progressDone: 30,
  progressTotal: 120,
  progressMessage: null,
  startedAt: NOW - 5_000,
});

function render() {
  const overview = buildWorkersOverview({
    workers: [
      workerRow({ id: "a-1", host: "alpha", running: 1, jobsDone: 7, jobsPerMin: 2.5, rolloutsDone: 30, rolloutsPerSec: 12.3 }),
      workerRow({ id: "a-2", host: "alpha", heartbeatAt: NOW - 42_000 }),
      workerRow({ id: "x-1", host: "<img src=x onerror=alert(1)>" }),
    ],
    runningJobs: [runningJob(5, "a-1/t1", { experiment_id: 3 }), runningJob(6, "a-2/t2", { experiment_id: 4 })],
    experimentNames: new Map([[3, "<b>bold</b> run"]]),
    now: NOW,
    staleAfterMs: 10_000,
  });
  // React may separate adjacent text nodes with empty comments; they are not text.
  const html = renderToStaticMarkup(createElement(WorkersTable, { hosts: overview.hosts, checkedAt: NOW })).replaceAll("<!-- -->", "");
  return { overview, html };
}

/** The markup of one worker's row. */
const rowOf = (html: string, id: string) => html.match(new RegExp(`<tr data-testid="worker-row" data-worker-id="${id}"[\\s\\S]*?</tr>`))?.[0] ?? "";

describe("WorkersTable", () => {
  it("groups by host with a count, the live worker first, and shows the running job with its experiment", () => {
    const { html, overview } = render();
    // Both hosts have a live worker: by name.
    expect(overview.hosts.map((h) => h.host)).toEqual(["<img src=x onerror=alert(1)>", "alpha"]);
    expect(html.indexOf("data-host=\"&lt;img")).toBeLessThan(html.indexOf('data-host="alpha"'));
    expect(html).toMatch(/2 workers · 1 live/);
    const live = rowOf(html, "a-1");
    expect(live).toContain('data-state="live"');
    expect(live).toContain("#5");
    expect(live).toContain("30/120");
    expect(live).toContain("2.5 jobs/min");
    expect(live).toContain("12 rollouts/s");
    expect(html.indexOf("a-1")).toBeLessThan(html.indexOf("a-2"));
  });

  it("greys a stale worker and says when it was last seen", () => {
    const stale = rowOf(render().html, "a-2");
    expect(stale).toContain('data-state="stale"');
    expect(stale).toContain("opacity-70");
    expect(stale).toContain("last seen 42 s ago");
    // Its job is still listed (until the lease expires and another worker takes it), dimmed.
    expect(stale).toContain("experiment 4");
  });

  it("renders host names and labels as text, never as markup", () => {
    const { html } = render();
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>bold");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt; run");
  });
});
