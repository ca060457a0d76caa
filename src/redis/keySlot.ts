/**
 * Which of Redis Cluster's 16,384 hash slots a key lives in: CRC16 (XMODEM)
 * of the key's hash tag — the text between the first `{` and the next `}`,
 * when that is not empty — else of the whole key, modulo 16384 (the Redis
 * Cluster specification, `keyHashSlot()` in cluster.c). Computed here rather
 * than imported from node-redis, which vendors it in a private file
 * (`dist/lib/utils/calculate-slot`) that is not part of its API; the tests
 * check it against the server's own CLUSTER KEYSLOT.
 */

export const SLOTS = 16384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[i] = crc & 0xffff;
  }
  return table;
})();

/** CRC16-XMODEM of the UTF-8 bytes of `key[from, to)`. */
function crc16(key: string, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    const code = key.charCodeAt(i);
    if (code < 0x80) {
      crc = ((crc << 8) ^ (TABLE[((crc >> 8) ^ code) & 0xff] as number)) & 0xffff;
    } else {
      // Rare in keys: hash the UTF-8 bytes, as the server sees them.
      const end = code >= 0xd800 && code <= 0xdbff && i + 1 < to ? i + 2 : i + 1;
      for (const byte of Buffer.from(key.slice(i, end), 'utf8')) {
        crc = ((crc << 8) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] as number)) & 0xffff;
      }
      i = end - 1;
    }
  }
  return crc;
}

/** The hash tag's bounds `[start, end)` in `key`, or undefined when the key has none (no `{…}`, or `{}`). */
export function hashTagBounds(key: string): [number, number] | undefined {
  const open = key.indexOf('{');
  if (open === -1) return undefined;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return undefined;
  return [open + 1, close];
}

export function keySlot(key: string): number {
  const tag = hashTagBounds(key);
  return (tag ? crc16(key, tag[0], tag[1]) : crc16(key, 0, key.length)) & (SLOTS - 1);
}
