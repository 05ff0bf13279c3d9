import { performance } from "node:perf_hooks";
import { xmlToJson } from "../lib/engine/xml/xml-to-json";
import { xmlToJsonSliced } from "../lib/engine/xml/xml-to-json-sliced";

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

export interface XmlRatio {
  readings: number;
  xml_bytes: number;
  json_bytes: number;
  runs: number;
  xml_ms: number;
  json_parse_ms: number;
  /** The median conversion over the median JSON.parse of the equivalent JSON (goal <= 3). */
  xml_ratio: number;
  /** The server's conversion: slices with a macrotask between them. */
  sliced_ms: number;
  max_slice_ms: number;
}

/**
 * Converts an XML payload of `targetBytes` (meter readings, SPEC-ENTITIES 7) and parses the
 * equivalent JSON (the conversion's own output, stringified) with JSON.parse, alternately in the
 * same run, `runs` times each.
 */
export async function measureXmlRatio(targetBytes = 20 * 1024 * 1024, runs = 5): Promise<XmlRatio> {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<readings batch="B-2025-11">\n'];
  let bytes = parts[0]?.length ?? 0;
  let count = 0;
  while (bytes < targetBytes) {
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
  for (let run = 0; run < runs; run++) {
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
  return {
    readings: count,
    xml_bytes: xml.length,
    json_bytes: json.length,
    runs,
    xml_ms: Math.round(xmlMs),
    json_parse_ms: Math.round(jsonMs),
    xml_ratio: Number((xmlMs / jsonMs).toFixed(2)),
    sliced_ms: Math.round(median(slicedTimes)),
    max_slice_ms: Math.round(maxSlice),
  };
}
