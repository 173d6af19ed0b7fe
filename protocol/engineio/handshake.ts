import { Failure, parseJson } from '../failure.ts';
import type { Handshake } from '../types.ts';

/** The open packet's JSON: `sid`, `upgrades`, `pingInterval`, `pingTimeout`, and in EIO4 usually `maxPayload`. */
export function decodeHandshake(json: string): Handshake | Failure {
  const value = parseJson(json);
  if (value instanceof Failure) return new Failure(`invalid handshake: ${value.reason}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return new Failure('invalid handshake: not an object');
  const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = value as Record<string, unknown>;
  if (typeof sid !== 'string' || sid === '') return new Failure('invalid handshake: missing sid');
  if (!Array.isArray(upgrades) || !upgrades.every((u) => typeof u === 'string'))
    return new Failure('invalid handshake: upgrades must be an array of strings');
  if (typeof pingInterval !== 'number' || typeof pingTimeout !== 'number')
    return new Failure('invalid handshake: pingInterval and pingTimeout must be numbers');
  const handshake: Handshake = { sid, upgrades: upgrades as string[], pingInterval, pingTimeout };
  if (maxPayload !== undefined) {
    if (typeof maxPayload !== 'number') return new Failure('invalid handshake: maxPayload must be a number');
    handshake.maxPayload = maxPayload;
  }
  return handshake;
}
