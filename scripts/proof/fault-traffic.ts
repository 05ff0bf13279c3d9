import type { Target } from "./context";
import { type HttpAnswer, postJson, send } from "./http";
import { EVENTS } from "./routes";
import { dayStamp, FAULT_METERS, LOAD_METERS, SLUG } from "./world";

/** Readings per fault import: long enough (a second or more) to be hit in the middle. */
export const FAULT_READINGS = 20_000;

/** The fault import of trial `t`: its own external ids `F<t>-<meter>-<k>`, value k, all creates. */
export function faultBody(target: Target, t: number) {
  const perMeter = FAULT_READINGS / FAULT_METERS.length;
  const readings = FAULT_METERS.flatMap((meterId, m) =>
    Array.from({ length: perMeter }, (_, k) => ({
      meterId,
      id: `F${t}-${m}-${k}`,
      timestamp: dayStamp(1000 + t * perMeter + k),
      value: k,
      unit: "kWh",
    })),
  );
  return postJson(EVENTS, target.world.apiKey, {
    integration_id: target.world.integrationId,
    correlation_id: `fault-${t}`,
    events: [
      {
        timestamp: new Date().toISOString(),
        format: "json",
        use_case_slug: SLUG,
        deduplication_id: `fault-${t}`,
        payload: { readings },
      },
    ],
  });
}

export const resultOf = (a: HttpAnswer) => {
  try {
    const r = (JSON.parse(a.body) as { results?: { status?: string; error?: { code?: string } }[] })
      .results?.[0];
    return r ? `${r.status}${r.error?.code ? ` ${r.error.code}` : ""}` : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Small events on other meters, two at a time, while `until` runs: a fault must fail only the
 * import it hit. Each has new external ids on days of its own, so each should simply succeed.
 */
export async function collateral<T>(target: Target, counter: { n: number }, until: Promise<T>) {
  const out = { sent: 0, failed: 0, examples: [] as string[] };
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const loop = async () => {
    while (!done) {
      const n = counter.n++;
      const answer = await send(
        target.server.baseUrl,
        postJson(EVENTS, target.world.apiKey, {
          integration_id: target.world.integrationId,
          events: [
            {
              timestamp: new Date().toISOString(),
              format: "json",
              use_case_slug: SLUG,
              payload: {
                readings: [0, 1].map((i) => ({
                  meterId: LOAD_METERS[(2 * n + i) % LOAD_METERS.length],
                  id: `C-${n}-${i}`,
                  timestamp: dayStamp(5000 + n),
                  value: n,
                  unit: "kWh",
                })),
              },
            },
          ],
        }),
        60_000,
      );
      out.sent++;
      const r = resultOf(answer);
      if (answer.status !== 200 || r !== "success") {
        out.failed++;
        if (out.examples.length < 5)
          out.examples.push(`${answer.status || answer.error} ${r ?? answer.body.slice(0, 120)}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await Promise.all([loop(), loop()]);
  return out;
}
