import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { loadDomainDir } from "./load";
import { makeFixtureState, TAU2_DIR } from "./testing/fixture";
import { makeTempDir } from "../../tests/temp-dir";

function domainDir(files: Record<string, string>): string {
  const dir = makeTempDir("writ-airline-");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const goodDb = JSON.stringify(makeFixtureState());
const goodTasks = JSON.stringify([{ id: "1", user_scenario: { instructions: "hi" }, evaluation_criteria: { actions: [] } }]);

describe("loadDomainDir", () => {
  it("loads db.json, tasks.json, policy.md and optional split_tasks.json; the state is frozen", () => {
    const dir = domainDir({ "db.json": goodDb, "tasks.json": goodTasks, "policy.md": "# p", "split_tasks.json": '{"train":["1"]}' });
    const d = loadDomainDir(dir);
    expect(Object.keys(d.state.flights)).toHaveLength(7);
    expect(d.tasks[0].id).toBe("1");
    expect(d.policy).toBe("# p");
    expect(d.splits).toEqual({ train: ["1"] });
    expect(d.dbFile.endsWith("db.json")).toBe(true);
    expect(Object.isFrozen(d.state.users.alice_smith_1000.payment_methods)).toBe(true);
  });

  it("accepts db.reconstructed.json and a missing split file", () => {
    const d = loadDomainDir(domainDir({ "db.reconstructed.json": goodDb, "tasks.json": goodTasks, "policy.md": "" }));
    expect(d.splits).toBeNull();
    expect(d.dbFile.endsWith("db.reconstructed.json")).toBe(true);
  });

  it("names the file, record and field of malformed input", () => {
    const bad = JSON.parse(goodDb);
    delete bad.users.bob_jones_2000.membership;
    expect(() => loadDomainDir(domainDir({ "db.json": JSON.stringify(bad), "tasks.json": goodTasks, "policy.md": "" }))).toThrow(
      /db\.json: users record "bob_jones_2000", field membership/,
    );
    const bad2 = JSON.parse(goodDb);
    bad2.flights.HAT001.dates["2024-05-16"].status = "boarding";
    expect(() => loadDomainDir(domainDir({ "db.json": JSON.stringify(bad2), "tasks.json": goodTasks, "policy.md": "" }))).toThrow(
      /flights record "HAT001", field dates\.2024-05-16\.status/,
    );
    expect(() => loadDomainDir(domainDir({ "db.json": "{", "tasks.json": goodTasks, "policy.md": "" }))).toThrow(/db\.json: not valid JSON/);
    expect(() => loadDomainDir(domainDir({ "db.json": '{"flights":{}}', "tasks.json": goodTasks, "policy.md": "" }))).toThrow(/missing top-level field "users"/);
    expect(() => loadDomainDir(domainDir({ "db.json": goodDb, "tasks.json": '[{"id":"7"}]', "policy.md": "" }))).toThrow(/tasks\.json: task #0 \(id "7"\), field user_scenario/);
    expect(() => loadDomainDir(domainDir({ "tasks.json": goodTasks, "policy.md": "" }))).toThrow(/no db\.json or db\.reconstructed\.json/);
    expect(() => loadDomainDir(domainDir({ "db.json": goodDb, "policy.md": "" }))).toThrow(/tasks\.json: file not found/);
    expect(() => loadDomainDir(domainDir({ "db.json": goodDb, "tasks.json": goodTasks }))).toThrow(/policy\.md: file not found/);
    expect(() => loadDomainDir("/nonexistent/dir")).toThrow(/domain directory not found/);
  });
});

const haveTau2 = existsSync(TAU2_DIR);
if (!haveTau2) console.warn(`[airline] τ² data folder ${TAU2_DIR} absent: skipping τ² loading tests`);
describe.skipIf(!haveTau2)("τ² domain directory", () => {
  it("loads the real τ² airline data", () => {
    const d = loadDomainDir(TAU2_DIR);
    expect([Object.keys(d.state.flights).length, Object.keys(d.state.users).length, Object.keys(d.state.reservations).length]).toEqual([300, 500, 2000]);
    expect(d.tasks).toHaveLength(50);
    expect(d.splits?.train).toHaveLength(30);
  });
});
