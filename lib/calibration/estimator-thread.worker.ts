/**
 * The analysis thread: holds one snapshot of an experiment's columnar data and computes the
 * estimator summaries the web server hands it (lib/analysis summarizeEstimators), so the four
 * estimators of a workbench recompute run on two cores. Pure computation; no database.
 */
import { parentPort } from "node:worker_threads";
import { restoreColumnar, summarizeEstimators, type ColumnarRollouts } from "../analysis";
import type { ThreadReply, ThreadRequest } from "./estimator-thread-protocol";

let held: { key: string; data: ColumnarRollouts } | null = null;

function reply(message: ThreadReply): void {
  parentPort?.postMessage(message);
}

parentPort?.on("message", (msg: ThreadRequest) => {
  if (msg.type === "load") {
    try {
      held = null;
      const data = restoreColumnar(msg.snapshot);
      if (msg.warm) summarizeEstimators(data, msg.warm.config, { slice: msg.warm.slice }, msg.warm.kinds);
      held = { key: msg.key, data };
      reply({ type: "loaded", key: msg.key });
    } catch (err) {
      reply({ type: "error", id: null, key: msg.key, message: (err as Error).message });
    }
    return;
  }
  if (msg.type === "run") {
    if (!held || held.key !== msg.key) {
      reply({ type: "error", id: msg.id, key: msg.key, message: `the thread holds ${held?.key ?? "no data"}, not ${msg.key}` });
      return;
    }
    try {
      reply({ type: "result", id: msg.id, summaries: summarizeEstimators(held.data, msg.config, { slice: msg.slice }, msg.kinds) });
    } catch (err) {
      reply({ type: "error", id: msg.id, key: msg.key, message: (err as Error).message });
    }
  }
});
