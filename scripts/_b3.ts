import { compileConfig, planPrepared, prepareImport } from "../lib/engine";
import { ReadingStore } from "../lib/engine/reading-store";
import { Slicer } from "../lib/engine/cooperative";
import { makeWorkload, benchConfig } from "./bench-data";
const w = makeWorkload(10000, 10);
const state = { meters: w.meters, readings: w.readings };
const c = compileConfig(benchConfig) as any;
for (let i = 0; i < 4; i++) {
  const p = JSON.parse(JSON.stringify(w.payload));
  let t = performance.now();
  const prepared = await prepareImport(c.compiled, p);
  const a = performance.now() - t; t = performance.now();
  await ReadingStore.load(state.readings, new Slicer(1000));
  const b = performance.now() - t; t = performance.now();
  await planPrepared(prepared, state);
  const d = performance.now() - t;
  console.log(`prepare ${a.toFixed(0)} storeLoad ${b.toFixed(0)} planPrepared(incl load) ${d.toFixed(0)}`);
}
