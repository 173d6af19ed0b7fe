import { describe, expect, it } from 'vitest';
import type { SioEntry } from '../../protocol/types.ts';
import { emitCode } from './emit-code.ts';

const entry = (over: Partial<SioEntry>): SioEntry => ({ index: 0, seq: 1, conn: 'c', t: 0, dir: 'out', transport: 'websocket', size: 1, layer: 'sio', type: 'event', ns: '/', event: 'chat message', ...over });

describe('copy as code', () => {
  it('a plain emit', () => {
    expect(emitCode(entry({}), ['hi', 2])).toBe('socket.emit("chat message", "hi", 2);');
  });
  it('with an ack callback, on a namespace, with binary', () => {
    const code = emitCode(entry({ ns: '/chat', id: 3, event: 'upload' }), [{ name: 'a.bin', body: new Uint8Array([1, 2]) }]);
    expect(code).toBe(
      'io("/chat").emit(\n  "upload",\n  {\n    "name": "a.bin",\n    "body": new Uint8Array([1, 2])\n  },\n  (...response) => {\n    console.log(response);\n  }\n);',
    );
  });
  it('quotes hostile strings and keys as data', () => {
    const args = [JSON.parse('{"__proto__":{"x":1},"</script>":"\\u2028"}')];
    const code = emitCode(entry({ event: '"); alert(1); ("' }), args);
    expect(code).toContain('"\\"); alert(1); (\\""');
    expect(code).toContain('["__proto__"]: {');
    // The generated code parses and rebuilds the same arguments.
    const rebuilt = new Function('socket', `let got; socket = { emit: (...a) => (got = a) }; ${code} return got;`)();
    expect(rebuilt[0]).toBe('"); alert(1); ("');
    expect(Object.getOwnPropertyDescriptor(rebuilt[1], '__proto__')?.value).toEqual({ x: 1 });
    expect(Object.getPrototypeOf(rebuilt[1])).toBe(Object.prototype);
  });
});
