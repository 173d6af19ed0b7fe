import { Failure } from '../failure.ts';

type Container = Record<string, unknown> | unknown[];

/** socket.io-parser's test: `_placeholder === true` is enough; a missing or bad `num` is then an error, not data. */
function isPlaceholder(value: object): value is { _placeholder: true; num: unknown } {
  return (value as { _placeholder?: unknown })._placeholder === true;
}

/** Own-property write that never reaches `Object.prototype`'s `__proto__` setter. */
function setOwn(target: Container, key: string | number, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}

/** The attachment a placeholder stands for; undefined when `value` is no placeholder. */
function resolvePlaceholder(value: object, attachments: Uint8Array[]): Uint8Array | Failure | undefined {
  if (!isPlaceholder(value)) return undefined;
  const num = value.num;
  if (typeof num === 'number' && Number.isInteger(num) && num >= 0 && num < attachments.length) return attachments[num];
  return new Failure(`illegal attachments: placeholder ${JSON.stringify(num)} with ${attachments.length} attachment(s)`);
}

/**
 * Puts attachments back where the encoder left `{"_placeholder":true,"num":N}`, in place, without recursion
 * (payloads can nest thousands deep).
 */
export function reconstructPlaceholders(root: unknown, attachments: Uint8Array[]): unknown {
  if (root === null || typeof root !== 'object') return root;
  const top = resolvePlaceholder(root, attachments);
  if (top !== undefined) return top;
  const stack: Container[] = [root as Container];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const problem = visitChild(node, i, node[i], attachments, stack);
        if (problem) return problem;
      }
    } else {
      for (const key of Object.keys(node)) {
        const problem = visitChild(node, key, node[key], attachments, stack);
        if (problem) return problem;
      }
    }
  }
  return root;
}

function visitChild(node: Container, key: string | number, child: unknown, attachments: Uint8Array[], stack: Container[]): Failure | undefined {
  if (child === null || typeof child !== 'object' || child instanceof Uint8Array) return undefined;
  const replacement = resolvePlaceholder(child, attachments);
  if (replacement instanceof Failure) return replacement;
  if (replacement !== undefined) setOwn(node, key, replacement);
  else stack.push(child as Container);
  return undefined;
}

export function isBinaryValue(value: unknown): value is Uint8Array | ArrayBuffer {
  return value instanceof Uint8Array || value instanceof ArrayBuffer;
}

/** True when a value holds binary anywhere (iterative). */
export function hasBinary(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (isBinaryValue(value)) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push(child);
  }
  return false;
}

/**
 * The encoder's half: replaces binary values by placeholders, depth-first with arrays by index and objects by key
 * order (the order socket.io-parser numbers them), and returns the copy and the attachments.
 */
export function deconstructPlaceholders(root: unknown): { data: unknown; attachments: Uint8Array[] } {
  const attachments: Uint8Array[] = [];
  const visit = (value: unknown, depth: number, viaToJSON = false): unknown => {
    if (depth > 10_000) throw new RangeError('value nests too deep to encode');
    if (value === null || typeof value !== 'object') return value;
    if (isBinaryValue(value)) {
      attachments.push(value instanceof Uint8Array ? value : new Uint8Array(value));
      return { _placeholder: true, num: attachments.length - 1 };
    }
    if (Array.isArray(value)) return value.map((v) => visit(v, depth + 1));
    // As socket.io-parser does (and JSON.stringify would): a Date becomes its ISO string, not `{}`.
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function' && !viaToJSON) return visit(toJSON.call(value), depth + 1, true);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, visit(v, depth + 1));
    return out;
  };
  return { data: visit(root, 0), attachments };
}
