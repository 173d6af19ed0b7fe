/** Decoders return a Failure instead of throwing: malformed input is data, not an exception. */
export class Failure {
  /** `raw`: the piece of input the failure is about, when it is narrower than the whole frame. */
  constructor(
    readonly reason: string,
    readonly raw?: string,
  ) {}
}

export function isFailure(value: unknown): value is Failure {
  return value instanceof Failure;
}

/** JSON.parse that returns a Failure with the engine's message instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    return new Failure(`invalid JSON: ${(e as Error).message}`);
  }
}
