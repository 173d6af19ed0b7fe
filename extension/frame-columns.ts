import type { RawFrame } from '../protocol/types.ts';
import { isRecord, type FrameColumns } from './messages.ts';

/** Frame columns whose shape is checked and whose elements are not. */
type UncheckedColumns = { [K in keyof FrameColumns<unknown>]: K extends 'text' ? string : unknown[] };

/** The shape of frame columns: five arrays, all but `heads` of one length, and a string. */
function readColumns(value: unknown): UncheckedColumns | undefined {
  if (!isRecord(value)) return undefined;
  const { heads, head, seq, t, data, text } = value;
  if (!Array.isArray(heads) || !Array.isArray(head) || !Array.isArray(seq) || !Array.isArray(t) || !Array.isArray(data) || typeof text !== 'string') return undefined;
  const n = head.length;
  if (seq.length !== n || t.length !== n || data.length !== n) return undefined;
  return { heads, head, seq, t, data, text };
}

/**
 * Frame objects from a relay's columns (see FrameColumns), texts cut from the batch's one string, or undefined when
 * `value` is not columns. Only the shape is checked here, off the page's thread: the fields of each frame are
 * checked where it is decoded.
 */
export function framesOfColumns(value: unknown): RawFrame[] | undefined {
  const columns = readColumns(value);
  if (!columns) return undefined;
  const { heads, head, seq, t, data, text } = columns;
  const n = head.length;
  const frames: RawFrame[] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const d: unknown = data[i];
    let own: unknown = d;
    if (typeof d === 'number') {
      // A length into `text` (a bad one gives a frame with the wrong text, which then fails to decode: no more).
      own = text.slice(offset, offset + d);
      offset += d;
    }
    const index = head[i];
    const fields: unknown = Number.isInteger(index) ? heads[index as number] : undefined;
    if (!isRecord(fields)) continue;
    const frame = { ...fields, seq: seq[i], t: t[i] } as RawFrame;
    if (own !== null && own !== undefined) frame.data = own as string;
    frames.push(frame);
  }
  return frames;
}
