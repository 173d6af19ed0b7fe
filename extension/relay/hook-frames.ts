import { bytesToBase64 } from '../../protocol/bytes.ts';
import { toRawFrame } from '../../protocol/raw-frame.ts';
import { Failure } from '../../protocol/failure.ts';
import { readSendOutcome } from '../../app/composer/wire-plan.ts';
import { DATA_BINARY, DATA_NONE, isRecord, type FrameColumns, type FrameHead, type HookColumns, type HookToRelay, type PageInstance } from '../messages.ts';

/** Frame columns as the relay forwards them: binary as base64, no data as `null`, text still packed. */
export type RelayColumns = FrameColumns<string | null>;

/** Checks a message from the page's side of the port; a page script may have forged it. */
export function readHookMessage(value: unknown): HookToRelay | undefined {
  if (!isRecord(value) || value.source !== 'sockscope-hook') return undefined;
  switch (value.type) {
    case 'hello':
      return typeof value.instance === 'string' && value.instance.length <= 64 && typeof value.url === 'string' && typeof value.top === 'boolean'
        ? { source: 'sockscope-hook', type: 'hello', instance: value.instance, url: value.url.slice(0, 8192), top: value.top }
        : undefined;
    case 'frames':
      return isRecord(value.batch) ? { source: 'sockscope-hook', type: 'frames', batch: value.batch as unknown as HookColumns } : undefined;
    case 'dropped':
      return typeof value.count === 'number' && typeof value.firstKept === 'number'
        ? { source: 'sockscope-hook', type: 'dropped', count: value.count, firstKept: value.firstKept }
        : undefined;
    case 'sent': {
      const outcome = readSendOutcome(value.outcome);
      return typeof value.requestId === 'string' && value.requestId.length <= 64 && outcome
        ? { source: 'sockscope-hook', type: 'sent', requestId: value.requestId, outcome }
        : undefined;
    }
    default:
      return undefined;
  }
}

/** A head checked like a raw frame's fields (a copy of the known fields only), or undefined. */
function readHead(value: unknown, page: PageInstance | undefined): FrameHead | undefined {
  if (!isRecord(value)) return undefined;
  const raw = toRawFrame({ ...value, seq: 0, t: 0, data: undefined });
  if (raw instanceof Failure) return undefined;
  if (page && !raw.conn.startsWith(page.instance + ':')) return undefined;
  const { seq: _seq, t: _t, data: _data, ...head } = raw;
  return head;
}

/** The shape of the hook's columns: four number columns of one length, an array of buffers, a string. */
function readHookColumns(value: unknown): HookColumns | undefined {
  if (!isRecord(value)) return undefined;
  const { heads, head, seq, t, data, binary, text } = value;
  if (!Array.isArray(heads) || !Array.isArray(binary) || typeof text !== 'string') return undefined;
  if (!(head instanceof Float64Array && seq instanceof Float64Array && t instanceof Float64Array && data instanceof Float64Array)) return undefined;
  const n = head.length;
  if (seq.length !== n || t.length !== n || data.length !== n) return undefined;
  return { heads, head, seq, t, data, binary, text };
}

/**
 * A batch from the hook, checked, for messaging: each head once (and that it is this page's), then each frame's
 * index, numbers and data; binary data as base64. A frame that fails a check is left out (its text too), as are
 * heads of another page instance; undefined when the batch is not columns at all.
 */
export function toMessagingColumns(value: unknown, page: PageInstance | undefined): RelayColumns | undefined {
  const columns = readHookColumns(value);
  if (!columns) return undefined;
  const { heads, head, seq, t, data, binary, text } = columns;
  const n = head.length;
  const checked = heads.map((h) => readHead(h, page));
  const out: RelayColumns = { heads: [], head: [], seq: [], t: [], data: [], text };
  const index = new Map<number, number>();
  // Text of frames left out is cut from `text` only when one is (the rare case): the usual batch goes on untouched.
  let kept: string[] | undefined;
  let offset = 0;
  let buffers = 0;
  for (let i = 0; i < n; i++) {
    const h = head[i];
    const d = data[i];
    let length = 0;
    let item: string | number | null;
    if (d === DATA_NONE) item = null;
    else if (d === DATA_BINARY && binary[buffers] instanceof ArrayBuffer) item = bytesToBase64(new Uint8Array(binary[buffers++] as ArrayBuffer));
    else if (Number.isInteger(d) && d >= 0 && offset + d <= text.length) item = length = d;
    else return undefined;
    const from = offset;
    offset += length;
    if (!checked[h] || !Number.isFinite(seq[i]) || !Number.isFinite(t[i])) {
      kept ??= [text.slice(0, from)];
      continue;
    }
    if (kept && length > 0) kept.push(text.slice(from, offset));
    let at = index.get(h);
    if (at === undefined) {
      at = out.heads.push(checked[h]) - 1;
      index.set(h, at);
    }
    out.head.push(at);
    out.seq.push(seq[i]);
    out.t.push(t[i]);
    out.data.push(item);
  }
  if (kept) out.text = kept.join('');
  else if (offset !== text.length) out.text = text.slice(0, offset);
  return out;
}

/** Frames `from` to `to` of a batch, with the heads it lists (unused ones included: they are few) and their text. */
export function sliceColumns(batch: RelayColumns, from: number, to: number): RelayColumns {
  let start = 0;
  for (let i = 0; i < from; i++) if (typeof batch.data[i] === 'number') start += batch.data[i] as number;
  let end = start;
  for (let i = from; i < to; i++) if (typeof batch.data[i] === 'number') end += batch.data[i] as number;
  const text = start === 0 && end === batch.text.length ? batch.text : batch.text.slice(start, end);
  return { heads: batch.heads, head: batch.head.slice(from, to), seq: batch.seq.slice(from, to), t: batch.t.slice(from, to), data: batch.data.slice(from, to), text };
}
