import "server-only";
import { randomFillSync } from "node:crypto";

const POOL_IDS = 4096;
/** Random bytes for many ids at once: one randomFillSync per id cost ~2 us (0.2 s per 100k). */
const pool = Buffer.alloc(POOL_IDS * 8);
let poolOffset = pool.length;
/** Hex digits as character codes, and the id being written (dashes stay in place). */
const DIGITS = Buffer.from("0123456789abcdef", "latin1");
const id = Buffer.from("00000000-0000-7000-8000-000000000000", "latin1");

let lastMs = 0;
let sequence = 0;

/** Writes a byte as two hex digits at `at`. */
function put(at: number, byte: number) {
  id[at] = DIGITS[byte >> 4] as number;
  id[at + 1] = DIGITS[byte & 0x0f] as number;
}

/**
 * A time-ordered UUID (RFC 9562 version 7): new rows land at the right edge of the primary-key
 * index instead of all over it, which makes bulk inserts markedly cheaper than with random v4 ids.
 * A 12-bit counter keeps ids of the same millisecond in order; 62 bits are random. Written as
 * digits into one buffer and read out as one string (string pieces cost ~500 bytes per id).
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
  // 48 bits of milliseconds, big-endian.
  const high = Math.floor(ms / 0x100000000);
  const low = ms >>> 0;
  put(0, (high >>> 8) & 0xff);
  put(2, high & 0xff);
  put(4, low >>> 24);
  put(6, (low >>> 16) & 0xff);
  put(9, (low >>> 8) & 0xff);
  put(11, low & 0xff);
  // Version 7 and the counter.
  put(14, 0x70 | ((sequence >>> 8) & 0x0f));
  put(16, sequence & 0xff);
  // Variant 10 and 62 random bits.
  put(19, 0x80 | ((pool[r] as number) & 0x3f));
  put(21, pool[r + 1] as number);
  for (let k = 2; k < 8; k++) put(20 + 2 * k, pool[r + k] as number);
  return id.toString("latin1");
}
