import { ValidationFailed } from '../errors';

/**
 * A journey's stream revision travels to the client as an ETag and comes back in If-Match,
 * which makes a command conditional on the journey not having changed.
 */
export const etag = (revision: bigint | number) => `"${revision}"`;

/** Parses If-Match: `"7"`, `W/"7"` or `7`. Absent means unconditional. */
export function parseIfMatch(header: string | undefined): bigint | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,18})"?\s*$/.exec(header);
  if (!match) {
    throw new ValidationFailed([{ field: 'If-Match', rule: 'revision', message: 'If-Match must be the ETag of the journey, e.g. "7"' }]);
  }
  return BigInt(match[1]);
}

/** Parses a minimum position from `?minPosition=` or `X-Min-Position`. */
export function parseMinPosition(value: string | undefined): bigint | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,40}$/.test(value)) {
    throw new ValidationFailed([{ field: 'minPosition', rule: 'position', message: 'minPosition must be a non-negative integer (a position from a command response)' }]);
  }
  return BigInt(value);
}
