import type { RawFrame } from '../protocol/types.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Frame objects from a relay's columns (see FrameColumns), or undefined when `value` is not columns. Only the
 * shape is checked here, off the page's thread: the fields of each frame are checked where it is decoded.
 */
export function framesOfColumns(value: unknown): RawFrame[] | undefined {
  if (!isRecord(value)) return undefined;
  const { heads, head, seq, t, data } = value;
  if (!Array.isArray(heads) || !Array.isArray(head) || !Array.isArray(seq) || !Array.isArray(t) || !Array.isArray(data)) return undefined;
  const n = head.length;
  if (seq.length !== n || t.length !== n || data.length !== n) return undefined;
  const frames: RawFrame[] = [];
  for (let i = 0; i < n; i++) {
    const index = head[i];
    const fields: unknown = Number.isInteger(index) ? heads[index as number] : undefined;
    if (!isRecord(fields)) continue;
    const frame = { ...fields, seq: seq[i], t: t[i] } as RawFrame;
    if (data[i] !== null && data[i] !== undefined) frame.data = data[i] as string;
    frames.push(frame);
  }
  return frames;
}
