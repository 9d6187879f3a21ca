import Database from "better-sqlite3";
const db = new Database(process.argv[2]);
const q = `SELECT m.rollout_id, m.body FROM rollout_messages m WHERE m.rollout_id IN (SELECT id FROM rollouts WHERE experiment_id = ? AND status IN ('done', 'error')) AND m.role != 'user' ORDER BY m.rollout_id, m.idx`;
console.log(db.prepare("EXPLAIN QUERY PLAN " + q).all(1));
let t = performance.now(); let n = 0; for (const r of db.prepare(q).raw(true).iterate(1)) n++; console.log("query", n, performance.now() - t);
const q2 = `SELECT m.rollout_id, m.body FROM rollouts r JOIN rollout_messages m ON m.rollout_id = r.id WHERE r.experiment_id = ? AND r.status IN ('done','error') AND m.role != 'user' ORDER BY r.id, m.idx`;
console.log(db.prepare("EXPLAIN QUERY PLAN " + q2).all(1));
t = performance.now(); n = 0; for (const r of db.prepare(q2).raw(true).iterate(1)) n++; console.log("query2", n, performance.now() - t);
t = performance.now(); n = 0; for (const r of db.prepare(q2).raw(true).iterate(1)) { JSON.parse(r[1] as string); n++; } console.log("query2+parse", n, performance.now() - t);
