#!/usr/bin/env node
/**
 * Fails when lib folders import each other in a cycle (lib/a → lib/b → … → lib/a), counting
 * runtime imports only: dependency-cruiser's no-circular rule sees module cycles, but two
 * folders can depend on each other through different modules without any module cycle.
 * Reads the module graph from dependency-cruiser's API, collapses it to lib/<folder>, and
 * reports every strongly connected set of folders with one import per edge as evidence.
 */
import { cruise } from "dependency-cruiser";

const TEST = /(\.test\.tsx?$|\/__fixtures__\/|\/testing\/|test-helpers\.ts$|\.fixture\.ts$)/;
const folderOf = (path) => {
  const m = /^lib\/([^/]+)\//.exec(path);
  return m ? m[1] : null;
};

const result = await cruise(["lib"], {
  tsPreCompilationDeps: true,
  doNotFollow: { path: "node_modules" },
  exclude: { path: "^(\\.next|data)/" },
}, undefined, { tsConfig: { fileName: "tsconfig.json" } });

const edges = new Map(); // folder -> Map(folder -> "from → to")
for (const mod of result.output.modules) {
  const from = folderOf(mod.source);
  if (!from || TEST.test(mod.source)) continue;
  for (const dep of mod.dependencies) {
    if (dep.dependencyTypes.includes("type-only")) continue;
    const to = folderOf(dep.resolved);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${mod.source} → ${dep.resolved}`);
  }
}

// Tarjan's strongly connected components over the folder graph.
let index = 0;
const stack = [];
const info = new Map();
const components = [];
const strongConnect = (v) => {
  info.set(v, { index, low: index, onStack: true });
  index += 1;
  stack.push(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!info.has(w)) {
      strongConnect(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).onStack) {
      info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
    }
  }
  if (info.get(v).low === info.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) components.push(component.sort());
  }
};
for (const v of edges.keys()) if (!info.has(v)) strongConnect(v);

if (components.length === 0) {
  console.log(`lib folders: no import cycles (${edges.size} folders with outgoing imports)`);
  process.exit(0);
}
for (const component of components) {
  console.error(`✘ lib folders import each other in a cycle: ${component.join(", ")}`);
  for (const from of component) {
    for (const [to, evidence] of edges.get(from) ?? []) {
      if (component.includes(to)) console.error(`    ${from} → ${to}   (${evidence})`);
    }
  }
}
process.exit(1);
