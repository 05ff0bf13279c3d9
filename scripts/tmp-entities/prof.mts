import { compileConfig, prepareImport, simulateMapping, planImport } from "../../lib/engine";
const N = Number(process.argv[2] ?? 2000);
const n = (i: number) => String(i).padStart(5, "0");
const config = { entities: [
  { entity_schema: "contract", unique_ids: ["contract_number"], jsonataExpression: "contracts", fields: [
    { attribute: "contract_number", field: "contract_number" },
    { attribute: "customer", relations: { operation: "_set", items: [{ entity_schema: "contact", unique_ids: [{ attribute: "customer_number", field: "customer" }] }] } } ] },
  { entity_schema: "meter_counter", unique_ids: ["obis"], jsonataExpression: "contracts.counters", fields: [
    { attribute: "obis", field: "obis" }, { attribute: "meter", jsonataExpression: '{ "meter_number": meter_number }' } ] } ] };
const payload = { contracts: Array.from({ length: N }, (_, i) => ({ contract_number: `K-${n(i)}`, customer: `C-${n(i)}`, counters: [{ meter_number: `M-${n(i)}`, obis: "1.8.1" }] })) };
const c = compileConfig(config); if (!c.ok) throw new Error("x");
let t = performance.now();
const p = await prepareImport(c.compiled, payload);
console.log("prepare", performance.now() - t); t = performance.now();
await simulateMapping(c.compiled, payload);
console.log("simulate", performance.now() - t); t = performance.now();
await planImport(c.compiled, payload, { meters: Array.from({ length: N }, (_, i) => ({ id: `m${i}`, attributes: { meter_number: `M-${n(i)}` } })) });
console.log("plan", performance.now() - t);
