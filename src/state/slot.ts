/**
 * The Redis Cluster hash slot of a key (pure): CRC16-XMODEM of the key, or of its hash tag (the part between
 * the first `{` and the first `}` after it, when not empty), modulo 16384. As in the cluster spec; checked
 * against CLUSTER KEYSLOT in test/integration/state-store.test.ts.
 */
const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let crc = i << 8;
  for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  TABLE[i] = crc;
}

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] as number);
  return crc;
}

/** The part of `key` that is hashed: its hash tag, or the whole key. */
export function hashedPart(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

export function keySlot(key: string): number {
  return crc16(Buffer.from(hashedPart(key), 'utf8')) % 16384;
}
