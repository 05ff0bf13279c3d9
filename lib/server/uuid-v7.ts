import "server-only";
import { randomFillSync } from "node:crypto";

const POOL_IDS = 4096;
/** Random bytes for many ids at once: one randomFillSync per id cost ~2 us (0.2 s per 100k). */
const pool = Buffer.alloc(POOL_IDS * 8);
let poolOffset = pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

let lastMs = 0;
let sequence = 0;

function hex(byte: number): string {
  return HEX[byte & 0xff] as string;
}

/**
 * A time-ordered UUID (RFC 9562 version 7): new rows land at the right edge of the primary-key
 * index instead of all over it, which makes bulk inserts markedly cheaper than with random v4 ids.
 * A 12-bit counter keeps ids of the same millisecond in order; 62 bits are random.
 */
export function uuidV7(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    sequence = 0;
  }
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const r = poolOffset;
  poolOffset += 8;
  const high = Math.floor(ms / 0x10000);
  const time = high.toString(16).padStart(8, "0") + (ms & 0xffff).toString(16).padStart(4, "0");
  return (
    `${time.slice(0, 8)}-${time.slice(8)}-` +
    `7${hex(sequence >> 8).slice(1)}${hex(sequence)}-` +
    `${hex(0x80 | ((pool[r] as number) & 0x3f))}${hex(pool[r + 1] as number)}-` +
    `${hex(pool[r + 2] as number)}${hex(pool[r + 3] as number)}${hex(pool[r + 4] as number)}` +
    `${hex(pool[r + 5] as number)}${hex(pool[r + 6] as number)}${hex(pool[r + 7] as number)}`
  );
}
