/**
 * The message numbers of a batch of records, in one of two forms: a plain array, or — for the records a scenario
 * producer batches, which usually go round robin over the partitions and so are evenly spaced (1, 4, 7, …) — an
 * arithmetic range `{ first, stride, count }`. The range keeps large runs from holding one array element per record
 * in the model and the trace. `kafka-produce-sent` trace entries carry one or the other (`msgs` / `msgRange`).
 */

/** Evenly spaced message numbers: first, first + stride, … (count of them). */
export interface MsgRange {
  first: number;
  stride: number;
  count: number;
}

/** A batch's message numbers. */
export type MsgList = readonly number[] | MsgRange;

/** Number of messages in `l`. */
export function msgCount(l: MsgList): number {
  return isRange(l) ? l.count : l.length;
}

/** The i-th message number of `l` (0-based). */
export function msgAt(l: MsgList, i: number): number {
  return isRange(l) ? l.first + i * l.stride : l[i];
}

/** `l` as an array (a new one for a range). */
export function msgArray(l: MsgList): number[] {
  if (!isRange(l)) return l as number[];
  const out = new Array<number>(l.count);
  for (let i = 0; i < l.count; i++) out[i] = l.first + i * l.stride;
  return out;
}

function isRange(l: MsgList): l is MsgRange {
  return !Array.isArray(l);
}

/** The message numbers a `kafka-produce-sent` entry carries, as an array. */
export function sentMsgs(e: { msgs?: number[]; msgRange?: MsgRange }): number[] {
  return e.msgs ?? (e.msgRange !== undefined ? msgArray(e.msgRange) : []);
}
