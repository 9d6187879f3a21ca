import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
const c = new Database(join(mkdtempSync(join(tmpdir(), "h2p-")), "x.db"));
c.pragma("journal_mode = WAL");
c.exec(`CREATE TABLE rollouts (id TEXT PRIMARY KEY, experiment_id INTEGER, outcome INTEGER);
CREATE TABLE rollout_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, rollout_id TEXT NOT NULL, idx INTEGER NOT NULL, role TEXT NOT NULL, body TEXT NOT NULL);
CREATE UNIQUE INDEX u ON rollout_messages(rollout_id, idx);
CREATE VIRTUAL TABLE a USING fts5(text, content='', contentless_delete=1);
CREATE VIRTUAL TABLE b USING fts5(text, content='', contentless_delete=1);
CREATE TABLE keys (key INTEGER PRIMARY KEY, rollout_id TEXT NOT NULL UNIQUE);`);
const N = 800_000, PER = 40;
const words = Array.from({ length: 3000 }, (_, i) => `w${i}`);
let s = 1;
const r = () => ((s = (s * 1103515245 + 12345) >>> 0), s / 4294967296);
const insR = c.prepare("INSERT INTO rollouts VALUES (?, 1, ?)");
const insM = c.prepare("INSERT INTO rollout_messages (rollout_id, idx, role, body) VALUES (?, ?, 'user', ?)");
const insA = c.prepare("INSERT INTO a(rowid, text) VALUES (?, ?)");
const insK = c.prepare("INSERT INTO keys(rollout_id) VALUES (?)");
const insB = c.prepare("INSERT INTO b(rowid, text) VALUES (?, ?)");
c.transaction(() => {
  for (let i = 0; i < N / PER; i++) {
    const rid = `r-${i}`;
    insR.run(rid, i % 2);
    const key = insK.run(rid).lastInsertRowid as number;
    for (let j = 0; j < PER; j++) {
      const text = Array.from({ length: 15 }, () => words[Math.floor(1 / (r() * 0.999 + 0.001)) % 3000]).join(" ") + " " + "x".repeat(200);
      const id = insM.run(rid, j, text).lastInsertRowid as number;
      insA.run(id, text);
      insB.run(key * 1048576 + j, text);
    }
  }
})();
for (const w of ["w1", "w5", "w40"]) {
  const q1 = c.prepare(`SELECT r.rowid, r.id, x.hits FROM (SELECT m.rollout_id rid, count(*) hits, min(m.idx) FROM a JOIN rollout_messages m ON m.id = a.rowid WHERE a MATCH ? GROUP BY m.rollout_id) x JOIN rollouts r ON r.id = x.rid WHERE r.experiment_id = 1 ORDER BY r.rowid`);
  const q2 = c.prepare(`SELECT r.rowid, r.id, x.hits FROM (SELECT rowid >> 20 k, count(*) hits, min(rowid & 1048575) FROM b WHERE b MATCH ? GROUP BY k) x JOIN keys ON keys.key = x.k JOIN rollouts r ON r.id = keys.rollout_id WHERE r.experiment_id = 1 ORDER BY r.rowid`);
  for (const [name, q] of [["join", q1], ["encoded", q2]] as const) {
    q.raw().all(w);
    const ts: number[] = [];
    let n = 0;
    for (let i = 0; i < 5; i++) { const t = performance.now(); n = q.raw().all(w).length; ts.push(performance.now() - t); }
    ts.sort((x, y) => x - y);
    console.log(w, name, ts[2].toFixed(1), "ms", n, (c.prepare("SELECT count(*) FROM a WHERE a MATCH ?").pluck().get(w)));
  }
}
