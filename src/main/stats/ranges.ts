import { STAT_BUCKETS } from '@shared/domain/stats';

const { minute: MINUTE, hour: HOUR, day: DAY } = STAT_BUCKETS;

/**
 * Minute buckets are kept 2 days (the live charts, "today" to the minute), hour buckets 90 days
 * (7 and 30 days, day points in any zone), day buckets for ever; retention prunes the rest.
 */
export const KEEP_MINUTE_BUCKETS_MS = 2 * DAY;
export const KEEP_HOUR_BUCKETS_MS = 90 * DAY;

/** Buckets of one size over [from, to), added (sign 1) or taken off (sign -1). */
export interface Piece {
  size: number;
  from: number;
  to: number;
  sign: 1 | -1;
}

/** From when on each finer bucket size is still kept at `now` (whole minutes and hours). */
export interface Kept {
  minute: number;
  hour: number;
}

export function keptAt(now: number): Kept {
  return {
    minute: ceilTo(now - KEEP_MINUTE_BUCKETS_MS, MINUTE),
    hour: ceilTo(now - KEEP_HOUR_BUCKETS_MS, HOUR),
  };
}

const floorTo = (t: number, size: number) => t - (((t % size) + size) % size);
const ceilTo = (t: number, size: number) => floorTo(t + size - 1, size);

/**
 * An instant moved to where the roll-ups can still tell it: to the minute while minute buckets
 * are kept; older, to the nearest hour (a local midnight of a :30 or :45 zone is then 15 to 30
 * minutes off) while hour buckets are kept; older still, to the nearest UTC midnight.
 */
export function roundToKept(t: number, kept: Kept): number {
  const m = floorTo(t, MINUTE);
  if (m >= kept.minute) return m;
  const h = floorTo(t + HOUR / 2 - 1, HOUR);
  if (h >= kept.hour) return h;
  return floorTo(t + DAY / 2 - 1, DAY);
}

const FINER: Record<number, number | undefined> = { [DAY]: HOUR, [HOUR]: MINUTE };

/**
 * [from, to) as few buckets as the roll-ups allow: whole UTC days inside, then hours, then
 * minutes at the edges; an edge that is closer to the next coarser boundary is taken as that
 * whole bucket less the part outside (a Berlin day is a UTC day + 1 hour − 1 hour, not 24
 * hours). `from` and `to` must be whole minutes no older than `kept` allows (see roundToKept).
 */
export function piecesOf(from: number, to: number, kept: Kept): Piece[] {
  const out: Piece[] = [];
  split(from, to, DAY, 1, kept, out);
  return out;
}

function keptFrom(size: number, kept: Kept): number {
  return size === MINUTE ? kept.minute : size === HOUR ? kept.hour : Number.NEGATIVE_INFINITY;
}

function split(a: number, b: number, size: number, sign: 1 | -1, kept: Kept, out: Piece[]): void {
  if (a >= b) return;
  const finer = FINER[size];
  if (finer === undefined) {
    out.push({ size, from: a, to: b, sign });
    return;
  }
  const A = ceilTo(a, size);
  const B = floorTo(b, size);
  if (A > B) {
    // Inside one bucket: its finer buckets, or the whole bucket less both ends when that is fewer.
    const lo = floorTo(a, size);
    const inside = b - a;
    if (size - inside < inside && lo >= keptFrom(finer, kept)) {
      out.push({ size, from: lo, to: lo + size, sign });
      split(lo, a, finer, flip(sign), kept, out);
      split(b, lo + size, finer, flip(sign), kept, out);
    } else split(a, b, finer, sign, kept, out);
    return;
  }
  // Head [a, A): added as finer buckets, or the whole bucket before A less [A - size, a).
  let start = A;
  if (a < A) {
    if (A - a > a - (A - size) && A - size >= keptFrom(finer, kept)) {
      start = A - size;
      split(A - size, a, finer, flip(sign), kept, out);
    } else split(a, A, finer, sign, kept, out);
  }
  // Tail [B, b): added as finer buckets, or the whole bucket from B less [b, B + size).
  let end = B;
  if (B < b) {
    if (B + size - b < b - B || B < keptFrom(finer, kept)) {
      end = B + size;
      split(b, B + size, finer, flip(sign), kept, out);
    } else split(B, b, finer, sign, kept, out);
  }
  if (start < end) out.push({ size, from: start, to: end, sign });
}

const flip = (sign: 1 | -1): 1 | -1 => (sign === 1 ? -1 : 1);
