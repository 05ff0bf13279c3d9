/**
 * npm run bench:xml — converts a 20 MB XML payload of meter readings (SPEC-ENTITIES 7) and parses
 * the equivalent JSON (the conversion's own output, stringified) with JSON.parse, alternately in
 * the same run (scripts/xml-ratio.ts; bench:entities reports the same ratio). The last line is one
 * JSON object; `xml_ratio` is the median conversion over the median JSON.parse (goal <= 3).
 * `sliced_ms` is the server's conversion (slices with a macrotask between them) and
 * `max_slice_ms` its longest synchronous slice.
 */
import { measureXmlRatio } from "./xml-ratio";

const result = await measureXmlRatio(
  Number(process.env.BENCH_XML_BYTES ?? 20 * 1024 * 1024),
  Number(process.env.BENCH_RUNS ?? 5),
);
console.log(
  `${result.readings} readings: XML ${(result.xml_bytes / 1e6).toFixed(1)} MB converted in ${result.xml_ms} ms; ` +
    `the equivalent JSON (${(result.json_bytes / 1e6).toFixed(1)} MB) parsed in ${result.json_parse_ms} ms`,
);
console.log(JSON.stringify(result));
