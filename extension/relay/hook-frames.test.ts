import { describe, expect, it } from 'vitest';
import { framesOfColumns } from '../frame-columns.ts';
import { DATA_BINARY, DATA_NONE, type FrameHead, type HookColumns } from '../messages.ts';
import { sliceColumns, toMessagingColumns } from './hook-frames.ts';

const page = { instance: 'abc', url: 'http://x/', top: true };
const textIn: FrameHead = { conn: 'abc:w1', url: 'ws://x/socket.io/?EIO=4&transport=websocket', transport: 'websocket', dir: 'in', kind: 'message', opcode: 'text' };
const binaryIn: FrameHead = { ...textIn, opcode: 'binary' };
const open: FrameHead = { conn: 'abc:w1', url: textIn.url, transport: 'websocket', dir: 'in', kind: 'open' };

/** A batch in the hook's shape (HookColumns). */
function hookBatch(frames: [FrameHead, string | ArrayBuffer | undefined][], firstSeq = 1): HookColumns {
  const heads: FrameHead[] = [];
  const n = frames.length;
  const batch: HookColumns = { heads, head: new Float64Array(n), seq: new Float64Array(n), t: new Float64Array(n), data: new Float64Array(n), binary: [], text: '' };
  frames.forEach(([h, d], i) => {
    if (!heads.includes(h)) heads.push(h);
    batch.head[i] = heads.indexOf(h);
    batch.seq[i] = firstSeq + i;
    batch.t[i] = 1000 + i;
    if (typeof d === 'string') {
      batch.text += d;
      batch.data[i] = d.length;
    } else if (d === undefined) {
      batch.data[i] = DATA_NONE;
    } else {
      batch.binary.push(d);
      batch.data[i] = DATA_BINARY;
    }
  });
  return batch;
}

describe('frame columns from the hook to the panel', () => {
  it('comes out as the frames that went in: text cut from the one string, binary as base64', () => {
    const bytes = new Uint8Array([1, 2, 255]).buffer;
    const batch = toMessagingColumns(hookBatch([[open, undefined], [textIn, '40'], [textIn, ''], [binaryIn, bytes], [textIn, '42["é✓",1]']]), page);
    expect(batch?.text).toBe('4042["é✓",1]');
    expect(framesOfColumns(JSON.parse(JSON.stringify(batch)))).toEqual([
      { ...open, seq: 1, t: 1000 },
      { ...textIn, seq: 2, t: 1001, data: '40' },
      { ...textIn, seq: 3, t: 1002, data: '' },
      { ...binaryIn, seq: 4, t: 1003, data: 'AQL/' },
      { ...textIn, seq: 5, t: 1004, data: '42["é✓",1]' },
    ]);
  });

  it('leaves out frames of another instance or with bad fields, and their text with them', () => {
    const other: FrameHead = { ...textIn, conn: 'zzz:w1' };
    const batch = hookBatch([[textIn, 'a'], [other, 'bb'], [textIn, 'ccc'], [{ ...textIn, transport: 'carrier pigeon' } as unknown as FrameHead, 'dddd'], [textIn, 'e']]);
    batch.t[2] = Number.NaN;
    const checked = toMessagingColumns(batch, page)!;
    expect(framesOfColumns(checked)!.map((f) => f.data)).toEqual(['a', 'e']);
    expect(checked.text).toBe('ae');
  });

  it('refuses what is not columns: lengths that disagree, text lengths past the end, data of the wrong kind', () => {
    const one = () => hookBatch([[textIn, 'a']]);
    expect(toMessagingColumns({ ...one(), seq: new Float64Array(0) }, page)).toBeUndefined();
    expect(toMessagingColumns({ ...one(), seq: [1] }, page)).toBeUndefined();
    expect(toMessagingColumns({ ...one(), data: new Float64Array([5]) }, page)).toBeUndefined();
    expect(toMessagingColumns({ ...one(), data: new Float64Array([0.5]) }, page)).toBeUndefined();
    expect(toMessagingColumns({ ...one(), data: new Float64Array([DATA_BINARY]) }, page)).toBeUndefined();
    expect(toMessagingColumns({ ...one(), data: new Float64Array([DATA_BINARY]), binary: ['AQID'] }, page)).toBeUndefined();
    expect(toMessagingColumns({ ...one(), binary: undefined }, page)).toBeUndefined();
    expect(toMessagingColumns({ ...one(), text: undefined }, page)).toBeUndefined();
    expect(toMessagingColumns([], page)).toBeUndefined();
  });

  it('gives a head index that is not one of the heads no frame', () => {
    const batch = hookBatch([[textIn, 'a'], [textIn, 'b'], [textIn, 'c']]);
    batch.head[0] = 0.5;
    batch.head[1] = Number.NaN;
    expect(framesOfColumns(toMessagingColumns(batch, page))!.map((f) => f.data)).toEqual(['c']);
  });

  it('gives a head pointing nowhere no frame, and no prototype a say', () => {
    const batch = JSON.parse('{"heads":[{"__proto__":{"polluted":1},"conn":"abc:w1"}],"head":[0,"__proto__",7],"seq":[1,2,3],"t":[1,2,3],"data":[null,null,null],"text":""}');
    expect(framesOfColumns(batch)!.length).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('slices a batch with the text of the frames it keeps', () => {
    const batch = toMessagingColumns(hookBatch([[textIn, 'aa'], [open, undefined], [textIn, 'bbb'], [textIn, 'c']]), page)!;
    expect(framesOfColumns(sliceColumns(batch, 0, 2))!.map((f) => f.data)).toEqual(['aa', undefined]);
    expect(framesOfColumns(sliceColumns(batch, 2, 4))!.map((f) => [f.seq, f.data])).toEqual([[3, 'bbb'], [4, 'c']]);
  });
});
