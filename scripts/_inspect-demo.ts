import { runDemoRollouts, synthesizeDemoTasks } from "../lib/calibration/demo-pipeline";
import { classifyRollout, NAIVE_V5, classesOfMask } from "../lib/rewards";
(async () => {
  const tasks = synthesizeDemoTasks();
  console.log(JSON.stringify(tasks[7].evaluation_criteria?.actions?.map(a=>a.name)), JSON.stringify(tasks[7].writ));
  const rs = await runDemoRollouts({}, tasks);
  const byName: Record<string, Record<string, number>> = {};
  const lens = {pass: [] as number[], fail: [] as number[]};
  for (const r of rs) {
    const c = classifyRollout(r, NAIVE_V5);
    (r.outcome ? lens.pass : lens.fail).push(c.turns.length);
    for (const t of c.turns) for (const call of t.calls) {
      const k = classesOfMask(call.classes).join("|") + (r.outcome ? " P" : " F");
      byName[call.name] ??= {}; byName[call.name][k] = (byName[call.name][k] ?? 0) + 1;
    }
  }
  console.log(JSON.stringify(byName, null, 0));
  const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  console.log("len pass", avg(lens.pass), "fail", avg(lens.fail));
  const terms: Record<string, number> = {}; for (const r of rs) terms[r.termination + (r.outcome?"P":"F")] = (terms[r.termination+(r.outcome?"P":"F")] ?? 0) + 1; console.log(terms);
})();
