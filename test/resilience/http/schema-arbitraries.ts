import fc from 'fast-check';
import { resolve, type OpenApiDocument, type Schema } from './openapi';

/**
 * fast-check arbitraries built from the OpenAPI document's schemas: values the schema allows,
 * and the same values broken in one place (wrong type, field missing or added, huge or odd
 * strings, null, an array for an object, a bad date, a code that is not in the list).
 */

/** Real calendar dates, YYYY-MM-DD, around the period the seeded journeys are dated in. */
export const calendarDate = (from = '2023-06-01', to = '2025-06-30') =>
  fc.date({ min: new Date(`${from}T00:00:00Z`), max: new Date(`${to}T00:00:00Z`), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** Strings of every kind of character: combining marks, right-to-left, emoji, NUL, a lone surrogate, zero-width. */
export const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.constantFrom('\u0000', '\ud800', '\udfff x', '🙂🙂', 'e\u0301', '\u202eevil', '\u200b', 'ＡＢＣ', 'Ωmega', '\r\n\t', ' ', '%00', '\\u0000', '${jndi:ldap://x}', '{{7*7}}', "' OR '1'='1", '<script>alert(1)</script>', '../../../../etc/passwd'),
);

export const BAD_DATES = [
  '2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10', '2024-01-00', '2024-1-8', '24-01-08', '2024/01/08', '08/01/2024',
  '2024-01-08T00:00:00Z', '2024-01-08 ', ' 2024-01-08', '', 'yesterday', '0000-00-00', '9999-99-99', '+02024-01-08', '２０２４-01-08', '1e3',
];

function pattern(schema: Schema): RegExp | undefined {
  return typeof schema.pattern === 'string' ? new RegExp(schema.pattern) : undefined;
}

const built = new WeakMap<Schema, fc.Arbitrary<unknown>>();

/** A value `schema` allows (kept short: the point is shape, not volume). Built once per schema: some arbitraries are slow to build. */
export function validValue(document: OpenApiDocument, raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(document, raw);
  let arbitrary = built.get(schema);
  if (!arbitrary) built.set(schema, (arbitrary = buildValid(document, schema, depth)));
  return arbitrary;
}

function buildValid(document: OpenApiDocument, schema: Schema, depth: number): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string': {
      if (schema.format === 'date') return calendarDate();
      if (schema.format === 'uuid') return fc.uuid({ version: 4 });
      const max = Math.min(schema.maxLength ?? 40, 40);
      const min = Math.max(schema.minLength ?? 1, 1);
      const re = pattern(schema);
      if (re) return fc.stringMatching(re, { size: 'xsmall' }).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
      return fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, max) });
    }
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1000, 1_000_000_000) });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = schema.items ? resolve(document, schema.items) : { type: 'string' };
      const minLength = Math.max(schema.minItems ?? 1, 0);
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, 3));
      if (Array.isArray(items.enum)) return fc.uniqueArray(fc.constantFrom(...items.enum), { minLength: Math.min(minLength, items.enum.length), maxLength: Math.min(maxLength, items.enum.length) });
      return fc.array(validValue(document, items, depth + 1), { minLength, maxLength });
    }
    case 'object':
    default: {
      const properties: Record<string, Schema> = schema.properties ?? {};
      if (!Object.keys(properties).length) return depth > 3 ? fc.constant({}) : fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validValue(document, property, depth + 1)]));
      return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
    }
  }
}

/** Where in a body a mutation applies: a path of property names (and array indexes). */
type Path = (string | number)[];

/** Every path into `value` that `schema` describes, with the schema there. */
function fieldsOf(document: OpenApiDocument, raw: Schema, value: unknown, path: Path = []): Array<{ path: Path; schema: Schema; parent: Schema }> {
  const schema = resolve(document, raw);
  const out: Array<{ path: Path; schema: Schema; parent: Schema }> = [];
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) {
      const child = resolve(document, property);
      out.push({ path: [...path, name], schema: child, parent: schema });
      if (name in (value as object)) out.push(...fieldsOf(document, child, (value as any)[name], [...path, name]));
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => out.push(...fieldsOf(document, schema.items, item, [...path, i])));
  }
  return out;
}

function setAt(value: unknown, path: Path, replacement: unknown | typeof REMOVE): unknown {
  if (path.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...rest] = path;
  if (rest.length === 0) {
    if (replacement === REMOVE) delete copy[head];
    else copy[head] = replacement;
  } else copy[head] = setAt(copy[head] ?? {}, rest, replacement);
  return copy;
}
const REMOVE = Symbol('remove');

/** Values of a type other than the one `schema` wants. */
function wrongType(schema: Schema): fc.Arbitrary<unknown> {
  const type = schema.type ?? (schema.enum ? 'string' : 'object');
  const others: fc.Arbitrary<unknown>[] = [];
  if (type !== 'string') others.push(fc.constantFrom('1', 'true', '', 'null', '{}'));
  if (type !== 'integer' && type !== 'number') others.push(fc.constantFrom(0, -1, 1.5, 1e308, -0, 2 ** 53 + 2));
  else others.push(fc.constantFrom(1.5, -1, 1e21, Number.MAX_SAFE_INTEGER + 2));
  if (type !== 'boolean') others.push(fc.boolean());
  if (type !== 'object') others.push(fc.constant({ not: 'this' }));
  if (type !== 'array') others.push(fc.constant(['a', 1]));
  return fc.oneof(...others);
}

export type Mutation = { kind: string; body: unknown };

/**
 * `body` (valid for `schema`) broken in one way. Each mutation says what it did, so a
 * failure names it.
 */
export function invalidBody(document: OpenApiDocument, schema: Schema, body: unknown, hugeMax: number): fc.Arbitrary<Mutation> {
  const fields = fieldsOf(document, schema, body);
  const present = fields.filter((f) => hasPath(body, f.path));
  const required = present.filter((f) => (f.parent.required ?? []).includes(String(f.path[f.path.length - 1])));
  const strings = present.filter((f) => f.schema.type === 'string');
  const dates = present.filter((f) => f.schema.format === 'date');
  const enums = present.filter((f) => Array.isArray(f.schema.enum) || Array.isArray(f.schema.items?.enum));
  const objects = [{ path: [] as Path, schema }, ...present.filter((f) => f.schema.type === 'object' || f.schema.properties)];
  const pick = <T>(list: T[]) => fc.constantFrom(...list);
  const options: Array<fc.Arbitrary<Mutation>> = [
    fc.tuple(pick(objects), fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', 'id', 'revision', 'caseloadOrganisationId', 'recordedBy'), fc.string({ minLength: 1, maxLength: 12 })), fc.jsonValue({ maxDepth: 2 }))
      .filter(([target, name]) => !(target.schema.properties ?? {})[name])
      .map(([target, name, value]) => ({ kind: `extra field ${JSON.stringify(name)} at ${label(target.path)}`, body: addField(body, target.path, name, value) })),
    fc.constantFrom<unknown>(null, [], [body], 'a string', 42, true, {}).map((whole) => ({ kind: `body is ${JSON.stringify(whole)?.slice(0, 40)}`, body: whole })),
    fc.tuple(fc.constantFrom<Path | null>(null, ...present.map((f) => f.path)), fc.integer({ min: 1_000, max: 100_000 }), fc.boolean())
      .map(([path, depth, arrays]) => ({ kind: `nested ${depth} deep (${arrays ? 'arrays' : 'objects'}) at ${path ? label(path) : 'an extra field'}`, body: deeplyNested(body, path, depth, arrays) })),
  ];
  if (present.length) {
    options.push(pick(present).chain((f) => wrongType(f.schema).map((v) => ({ kind: `wrong type at ${label(f.path)}: ${JSON.stringify(v)}`, body: setAt(body, f.path, v) }))));
    options.push(pick(present).map((f) => ({ kind: `null at ${label(f.path)}`, body: setAt(body, f.path, null) })));
    options.push(pick(present).map((f) => ({ kind: `array for ${label(f.path)}`, body: setAt(body, f.path, [getAt(body, f.path)]) })));
  }
  if (required.length) options.push(pick(required).map((f) => ({ kind: `missing ${label(f.path)}`, body: setAt(body, f.path, REMOVE) })));
  if (strings.length) {
    options.push(fc.tuple(pick(strings), fc.integer({ min: 1_000, max: hugeMax })).map(([f, n]) => ({ kind: `huge string (${n}) at ${label(f.path)}`, body: setAt(body, f.path, 'x'.repeat(n)) })));
    options.push(fc.tuple(pick(strings), oddText).map(([f, s]) => ({ kind: `odd text at ${label(f.path)}: ${JSON.stringify(s)}`, body: setAt(body, f.path, s) })));
  }
  if (dates.length) options.push(fc.tuple(pick(dates), fc.constantFrom(...BAD_DATES)).map(([f, d]) => ({ kind: `bad date at ${label(f.path)}: ${JSON.stringify(d)}`, body: setAt(body, f.path, d) })));
  if (enums.length) {
    options.push(fc.tuple(pick(enums), fc.oneof(fc.constantFrom('UNKNOWN', 'Adult', ' adult', 'adult ', 'police\u0000', '__proto__', 'constructor', '*', ''), fc.string({ maxLength: 10 }))).map(([f, v]) => {
      const list: unknown[] = f.schema.enum ?? f.schema.items.enum;
      const bad = list.includes(v) ? `${v}_not_a_code` : v;
      return { kind: `bad code at ${label(f.path)}: ${JSON.stringify(bad)}`, body: setAt(body, f.path, f.schema.type === 'array' ? [bad] : bad) };
    }));
  }
  return fc.oneof(...options);
}

function addField(body: unknown, path: Path, name: string, value: unknown): unknown {
  const target = getAt(body, path);
  if (!target || typeof target !== 'object') return body;
  // defineProperty: a key named __proto__ must be an own property, so that JSON.stringify sends it.
  const copy = { ...(target as object) };
  Object.defineProperty(copy, name, { value, enumerable: true, writable: true, configurable: true });
  return path.length ? setAt(body, path, copy) : copy;
}

/** A body given as JSON text, sent as it is (JSON.stringify cannot write what is too deep for it). */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON() {
    return `<${this.text.length} characters of JSON>`;
  }
}

/** `body` with the value at `path` (or an extra field) nested `depth` levels deep, as JSON text. */
function deeplyNested(body: unknown, path: Path | null, depth: number, arrays: boolean): RawJson {
  const marker = '@@deep@@';
  const withMarker = path ? setAt(body, path, marker) : { ...(body as object), deep: marker };
  const deep = arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return new RawJson(JSON.stringify(withMarker).replace(JSON.stringify(marker), deep));
}

function getAt(value: unknown, path: Path): unknown {
  return path.reduce<any>((node, key) => (node == null ? undefined : node[key]), value);
}

function hasPath(value: unknown, path: Path): boolean {
  let node: any = value;
  for (const key of path) {
    if (node == null || typeof node !== 'object' || !(key in node)) return false;
    node = node[key];
  }
  return true;
}

const label = (path: Path) => (path.length ? path.join('.') : '(body)');
