// The reference implementations, behind one small typed surface: socket.io-parser 4.x (protocol 5) and 3.4
// (protocol 4), engine.io-parser 5 (Engine.IO v4) and 2 (Engine.IO v3), socket.io-msgpack-parser 3 and 2.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A packet as socket.io-parser and socket.io-msgpack-parser see it. */
export interface OfficialSioPacket {
  type: number;
  nsp: string;
  data?: unknown;
  id?: number;
  attachments?: number;
}

export type SioMessage = string | Buffer;

interface SioDecoder {
  add(message: unknown): void;
  on(event: 'decoded', listener: (packet: OfficialSioPacket) => void): void;
  destroy(): void;
}

interface SioParserModule {
  Encoder: new () => { encode(packet: OfficialSioPacket, callback?: (messages: SioMessage[]) => void): SioMessage[] | void };
  Decoder: new (options?: { maxAttachments?: number }) => SioDecoder;
}

export interface OfficialEioPacket {
  type: string;
  data?: string | Buffer | ArrayBuffer;
}

interface EioV4Module {
  encodePacket(packet: OfficialEioPacket, supportsBinary: boolean, callback: (encoded: string | Buffer) => void): void;
  encodePayload(packets: OfficialEioPacket[], callback: (payload: string) => void): void;
  decodePacket(encoded: string | Buffer, binaryType?: string): OfficialEioPacket;
  decodePayload(payload: string, binaryType?: string): OfficialEioPacket[];
}

type PayloadCallback = (packet: OfficialEioPacket, index: number, total: number) => boolean | void;

interface EioV3Module {
  encodePacket(packet: OfficialEioPacket, supportsBinary: boolean, callback: (encoded: string | Buffer) => void): void;
  encodePayload(packets: OfficialEioPacket[], supportsBinary: boolean, callback: (payload: string | Buffer) => void): void;
  encodePayloadAsBinary(packets: OfficialEioPacket[], callback: (payload: Buffer) => void): void;
  decodePacket(encoded: string | Buffer, binaryType?: string, utf8decode?: boolean): OfficialEioPacket;
  decodePayload(payload: string | Buffer, callback: PayloadCallback): void;
}

export const sioParsers = {
  5: require('socket.io-parser') as SioParserModule,
  4: require('socket.io-parser-v3') as SioParserModule,
};
export const msgpackParsers = {
  5: require('socket.io-msgpack-parser') as SioParserModule,
  4: require('socket.io-msgpack-parser-v2') as SioParserModule,
};
export const eioV4 = require('engine.io-parser') as EioV4Module;
export const eioV3 = require('engine.io-parser-v2') as EioV3Module;

/** Runs a callback-style encoder that answers synchronously, and returns what it gave. */
export function sync<T>(run: (done: (value: T) => void) => void): T {
  let out: { value: T } | undefined;
  run((value) => (out = { value }));
  if (!out) throw new Error('the reference encoder did not answer synchronously');
  return out.value;
}

/** The reference encoder's messages for one packet (the packet is copied: parser 3.x rewrites it in place). */
export function officialEncode(parser: SioParserModule, packet: OfficialSioPacket): SioMessage[] {
  const encoder = new parser.Encoder();
  let messages: SioMessage[] | undefined;
  const returned = encoder.encode({ ...packet }, (m) => (messages = m));
  return (returned ?? messages)!;
}

export type OfficialDecode = { packets: OfficialSioPacket[] } | { error: string };

/**
 * Feeds messages to a fresh reference decoder. The attachment limit is raised to ours (1000): the default of 10 is
 * a server setting, not part of the wire format.
 */
export function officialDecode(parser: SioParserModule, messages: unknown[]): OfficialDecode {
  const decoder = new parser.Decoder({ maxAttachments: 1000 });
  const packets: OfficialSioPacket[] = [];
  decoder.on('decoded', (p) => packets.push(p));
  try {
    for (const m of messages) decoder.add(m);
  } catch (e) {
    return { error: (e as Error).message };
  }
  return { packets };
}

/** engine.io-parser 2 reports a payload it cannot read as this packet, through the same callback. */
export function isEioError(packet: OfficialEioPacket): boolean {
  return packet.type === 'error';
}
