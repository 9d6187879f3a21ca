/**
 * Binary form of one rollout's compact classification (the `data` blob of rollout_classes):
 * exactly the per-turn columns the analysis engine reads, laid out so a loader can copy them
 * into the columnar arrays through typed-array views over the Buffer (no per-turn objects,
 * no JSON).
 *
 * Layout, little-endian, every section aligned to its element size:
 *   u32 version | u32 nTurns | u32 nActions | u32 nSoft
 *   u32 actionHash[2·nActions]   53-bit hash of each distinct canonical action (lo, hi words)
 *   f64 softValue[nSoft]         the non-zero soft fractions, in turn order
 *   i32 tokens[nTurns]           completion tokens, -1 when unknown
 *   u32 softTurn[nSoft]          the turns those soft fractions belong to
 *   u16|u32 action[nTurns]       index into actionHash (u32 when nActions > 65535)
 *   u8  mask[nTurns]             class bitmask of the turn
 * Soft fractions are sparse (only soft turns have one), so they are stored as (turn, value).
 * The loader reads these with Buffer accessors straight into the columnar arrays: no view,
 * no object per rollout or turn.
 *
 * Canonical actions are only compared for equality (cancellation buckets: same group,
 * position and action), so a 53-bit hash of the canonical string stands in for the string:
 * two different actions would have to collide at the same group and position to merge a
 * bucket (≈ 8²/2⁵³ per position). Storing the strings instead would make them most of the
 * blob and of the load time.
 */

export const CLASS_BLOB_VERSION = 1;
const HEADER_BYTES = 16;

/** The per-turn columns of one classified rollout (what classifyRollout yields, per turn). */
export interface ClassTurns {
  masks: ArrayLike<number>;
  soft: ArrayLike<number>;
  tokens: ArrayLike<number>;
  actions: ArrayLike<string>;
}

/** Decoded copy of a blob (live appends and tests; the bulk loader reads the Buffer directly). */
export interface ClassBlobView {
  nTurns: number;
  nActions: number;
  mask: Uint8Array;
  soft: Float64Array;
  tokens: Int32Array;
  action: Uint32Array;
  actionHash: Float64Array;
}

/**
 * 53-bit string hash: two 32-bit multiplicative lanes over the UTF-16 code units, each
 * finished with an avalanche step, combined as hi(21 bits)·2³² + lo(32 bits) so the result
 * is an exact integer (a Map key; stored as its two u32 words).
 */
export function hashAction(s: string): number {
  let a = 0x811c9dc5 ^ s.length;
  let b = 0x2545f491;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = avalanche(a ^ Math.imul(b, 0x9e3779b1));
  b = avalanche(b ^ Math.imul(a, 0x85ebca6b));
  return (b & 0x1fffff) * 4294967296 + (a >>> 0);
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** The text-only turn's action ("message") keeps the columnar's reserved id 0. */
export const MESSAGE_ACTION = "message";
export const MESSAGE_HASH = hashAction(MESSAGE_ACTION);

/** Dictionary key a hashed action is interned under in ColumnarRollouts.actionKeys. */
export function actionKeyOfHash(hash: number): string {
  return hash === MESSAGE_HASH ? MESSAGE_ACTION : "#" + hash;
}

export interface BlobLayout {
  nTurns: number;
  nActions: number;
  nSoft: number;
  wide: boolean;
  hash: number;
  softValue: number;
  tokens: number;
  softTurn: number;
  action: number;
  mask: number;
  end: number;
}

function layoutOf(nTurns: number, nActions: number, nSoft: number): BlobLayout {
  const wide = nActions > 0xffff;
  const hash = HEADER_BYTES;
  const softValue = hash + 8 * nActions;
  const tokens = softValue + 8 * nSoft;
  const softTurn = tokens + 4 * nTurns;
  const action = softTurn + 4 * nSoft;
  const mask = action + (wide ? 4 : 2) * nTurns;
  return { nTurns, nActions, nSoft, wide, hash, softValue, tokens, softTurn, action, mask, end: mask + nTurns };
}

/** Whether `b` is a current, well-formed blob (the per-row check of a bulk load: no allocation). */
export function isCurrentBlob(b: Buffer | null | undefined): b is Buffer {
  if (!b || b.byteLength < HEADER_BYTES || b.readUInt32LE(0) !== CLASS_BLOB_VERSION) return false;
  const n = b.readUInt32LE(4);
  const nA = b.readUInt32LE(8);
  const nS = b.readUInt32LE(12);
  return nS <= n && HEADER_BYTES + 8 * nA + 8 * nS + 4 * n + 4 * nS + (nA > 0xffff ? 4 : 2) * n + n === b.byteLength;
}

/** The blob's layout, or null when it is not a current, well-formed blob (then it is rebuilt). */
export function blobLayout(buf: Uint8Array | null | undefined): BlobLayout | null {
  if (!buf || buf.byteLength < HEADER_BYTES) return null;
  // Buffer accessors, no closure: this runs once per rollout of every load.
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.readUInt32LE(0) !== CLASS_BLOB_VERSION) return null;
  const l = layoutOf(b.readUInt32LE(4), b.readUInt32LE(8), b.readUInt32LE(12));
  return l.end === buf.byteLength && l.nSoft <= l.nTurns ? l : null;
}

export function encodeClassBlob(turns: ClassTurns): Buffer {
  const n = turns.masks.length;
  const local = new Map<number, number>();
  const hashes: number[] = [];
  const ids = new Uint32Array(n);
  let nSoft = 0;
  for (let p = 0; p < n; p++) {
    const h = hashAction(turns.actions[p]);
    let id = local.get(h);
    if (id === undefined) {
      id = hashes.length;
      hashes.push(h);
      local.set(h, id);
    }
    ids[p] = id;
    if (turns.soft[p] !== 0) nSoft++;
  }
  const l = layoutOf(n, hashes.length, nSoft);
  const buf = Buffer.alloc(l.end);
  buf.writeUInt32LE(CLASS_BLOB_VERSION, 0);
  buf.writeUInt32LE(n, 4);
  buf.writeUInt32LE(hashes.length, 8);
  buf.writeUInt32LE(nSoft, 12);
  hashes.forEach((h, a) => {
    buf.writeUInt32LE(h % 4294967296, l.hash + 8 * a);
    buf.writeUInt32LE(Math.floor(h / 4294967296), l.hash + 8 * a + 4);
  });
  let k = 0;
  for (let p = 0; p < n; p++) {
    buf.writeInt32LE(turns.tokens[p], l.tokens + 4 * p);
    if (l.wide) buf.writeUInt32LE(ids[p], l.action + 4 * p);
    else buf.writeUInt16LE(ids[p], l.action + 2 * p);
    buf[l.mask + p] = turns.masks[p];
    if (turns.soft[p] !== 0) {
      buf.writeDoubleLE(turns.soft[p], l.softValue + 8 * k);
      buf.writeUInt32LE(p, l.softTurn + 4 * k);
      k++;
    }
  }
  return buf;
}

/** A decoded copy, or null when the blob is not current / well-formed. */
export function decodeClassBlob(raw: Uint8Array | null | undefined): ClassBlobView | null {
  const l = blobLayout(raw);
  if (!l) return null;
  const b = Buffer.from(raw!.buffer, raw!.byteOffset, raw!.byteLength);
  const v: ClassBlobView = {
    nTurns: l.nTurns,
    nActions: l.nActions,
    mask: new Uint8Array(l.nTurns),
    soft: new Float64Array(l.nTurns),
    tokens: new Int32Array(l.nTurns),
    action: new Uint32Array(l.nTurns),
    actionHash: new Float64Array(l.nActions),
  };
  for (let a = 0; a < l.nActions; a++) v.actionHash[a] = b.readUInt32LE(l.hash + 8 * a + 4) * 4294967296 + b.readUInt32LE(l.hash + 8 * a);
  for (let p = 0; p < l.nTurns; p++) {
    v.mask[p] = b[l.mask + p];
    v.tokens[p] = b.readInt32LE(l.tokens + 4 * p);
    v.action[p] = l.wide ? b.readUInt32LE(l.action + 4 * p) : b.readUInt16LE(l.action + 2 * p);
  }
  for (let k = 0; k < l.nSoft; k++) v.soft[b.readUInt32LE(l.softTurn + 4 * k)] = b.readDoubleLE(l.softValue + 8 * k);
  return v;
}
