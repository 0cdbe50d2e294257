/**
 * RFC 8785 canonical JSON, as libs/audit/src/canonical.ts writes it (docs/audit.md,
 * "Canonical form"): object members sorted by their keys' UTF-16 code units, no whitespace,
 * strings and numbers as ECMAScript's JSON.stringify writes them, arrays in order, members
 * whose value is undefined left out. Written again here because the server's module also
 * carries Node-only helpers (Buffer); timeline.browser.spec.ts checks the two agree.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) throw new TypeError('a non-plain object is not JSON');
      const record = value as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort(byCodeUnits)) {
        if (record[key] !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`a ${typeof value} is not JSON`);
  }
}

/** JavaScript compares strings by UTF-16 code units: exactly RFC 8785's member order. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
