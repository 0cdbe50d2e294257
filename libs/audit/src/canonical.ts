/**
 * The canonical bytes of a stored event: what the hash chain hashes (docs/audit.md,
 * "Canonical form").
 *
 * Canonical JSON here is RFC 8785 (JSON Canonicalization Scheme) for the values events hold:
 * object members sorted by their keys' UTF-16 code units, no whitespace, strings and numbers
 * written as ECMAScript's JSON.stringify writes them, arrays in order, the text encoded as
 * UTF-8. A value JSON cannot carry (a non-finite number, a bigint, a function) is refused
 * rather than guessed at, so two implementations can never disagree silently.
 */
import type { StoredEvent } from '../../event-store/src/event-store.port';
import { toStoredEventJson, type StoredEventJson } from '../../event-store/src/stored-event-json';

/** A value that canonical JSON cannot represent. */
export class NotCanonicalisable extends Error {
  constructor(readonly path: string, reason: string) {
    super(`Cannot write ${path} as canonical JSON: ${reason}`);
    this.name = 'NotCanonicalisable';
  }
}

/** RFC 8785 canonical JSON of a JSON value (members whose value is undefined are left out, as JSON.stringify does). */
export function canonicalJson(value: unknown, path = '$'): string {
  try {
    return write(value);
  } catch (error) {
    if (error instanceof Refused) throw new NotCanonicalisable(path + error.path, error.reason);
    throw error;
  }
}

/** A refusal on its way up: each level adds its step to the path, so the path is built only when something is refused. */
class Refused extends Error {
  constructor(readonly reason: string, public path = '') {
    super(reason);
  }

  under(step: string): Refused {
    this.path = step + this.path;
    return this;
  }
}

function write(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Refused(`${value} is not a JSON number`);
      return JSON.stringify(value); // ECMAScript Number::toString, as RFC 8785 prescribes; -0 is written 0
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + within(i, value[i] === undefined ? null : value[i]);
        return `${out}]`;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) {
        throw new Refused(`a ${(value as object).constructor?.name ?? 'non-plain'} object is not JSON`);
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort(byCodeUnits);
      let out = '{';
      for (const key of keys) {
        if (record[key] === undefined) continue;
        out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${within(key, record[key])}`;
      }
      return `${out}}`;
    }
    default:
      throw new Refused(`a ${typeof value} is not JSON`);
  }
}

/** An element's (index) or member's (key) canonical JSON, named in the path if it is refused. */
function within(step: number | string, value: unknown): string {
  try {
    return write(value);
  } catch (error) {
    throw error instanceof Refused ? error.under(typeof step === 'number' ? `[${step}]` : `.${step}`) : error;
  }
}

/** JavaScript compares strings by UTF-16 code units: exactly RFC 8785's member order. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The object whose canonical JSON is hashed for a stored event: everything the store holds
 * for it, positions and revisions as decimal strings (lossless for any backend's bigint).
 */
export function storedEventDocument(event: StoredEvent): StoredEventJson {
  return toStoredEventJson(event);
}

/** The UTF-8 bytes of the event's canonical JSON. */
export function canonicalBytes(event: StoredEvent): Buffer {
  return Buffer.from(canonicalJson(storedEventDocument(event)), 'utf8');
}
