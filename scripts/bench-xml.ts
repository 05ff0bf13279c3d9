/**
 * npm run bench:xml — converts a 20 MB XML payload of meter readings (SPEC-ENTITIES 7) and parses
 * the equivalent JSON (the conversion's own output, stringified) with JSON.parse, alternately in
 * the same run. The last line is one JSON object; `xml_ratio` is the median conversion over the
 * median JSON.parse (goal <= 3). `sliced_ms` is the server's conversion (slices with a macrotask
 * between them) and `max_slice_ms` its longest synchronous slice.
 */
import { performance } from "node:perf_hooks";
import { xmlToJson } from "../lib/engine/xml/xml-to-json";
import { xmlToJsonSliced } from "../lib/engine/xml/xml-to-json-sliced";

const TARGET_BYTES = Number(process.env.BENCH_XML_BYTES ?? 20 * 1024 * 1024);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** A reading as an ERP exports it: attributes, child elements, and text beside an attribute. */
function reading(i: number): string {
  const meter = `M${String(i % 10_000).padStart(5, "0")}`;
  const day = String((i % 28) + 1).padStart(2, "0");
  return `  <reading id="R${i}" source="ERP">
    <meter number="${meter}"><counter obis="1-0:1.8.0">HT</counter></meter>
    <timestamp>2025-11-${day}T00:00:00+01:00</timestamp>
    <value unit="kWh">${(i * 7.31).toFixed(2)}</value>
    <reason>regular</reason>
    <note><![CDATA[read by <ERP> & checked]]></note>
  </reading>
`;
}

const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<readings batch="B-2025-11">\n'];
let bytes = parts[0]?.length ?? 0;
let count = 0;
while (bytes < TARGET_BYTES) {
  const r = reading(count++);
  parts.push(r);
  bytes += r.length;
}
parts.push("</readings>\n");
const xml = parts.join("");
const json = JSON.stringify(xmlToJson(xml));

const xmlTimes: number[] = [];
const jsonTimes: number[] = [];
const slicedTimes: number[] = [];
let maxSlice = 0;
for (let run = 0; run < RUNS; run++) {
  let t = performance.now();
  xmlToJson(xml);
  xmlTimes.push(performance.now() - t);
  t = performance.now();
  JSON.parse(json);
  jsonTimes.push(performance.now() - t);
  t = performance.now();
  let sliceStart = performance.now();
  await xmlToJsonSliced(xml, async () => {
    maxSlice = Math.max(maxSlice, performance.now() - sliceStart);
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  });
  maxSlice = Math.max(maxSlice, performance.now() - sliceStart);
  slicedTimes.push(performance.now() - t);
}
const xmlMs = median(xmlTimes);
const jsonMs = median(jsonTimes);
console.log(
  `${count} readings: XML ${(xml.length / 1e6).toFixed(1)} MB converted in ${xmlMs.toFixed(0)} ms; ` +
    `the equivalent JSON (${(json.length / 1e6).toFixed(1)} MB) parsed in ${jsonMs.toFixed(0)} ms`,
);
console.log(
  JSON.stringify({
    readings: count,
    xml_bytes: xml.length,
    json_bytes: json.length,
    runs: RUNS,
    xml_ms: Math.round(xmlMs),
    json_parse_ms: Math.round(jsonMs),
    xml_ratio: Number((xmlMs / jsonMs).toFixed(2)),
    sliced_ms: Math.round(median(slicedTimes)),
    max_slice_ms: Math.round(maxSlice),
  }),
);
