import fc from 'fast-check';
import type { OpenApiDocument, Operation, Parameter } from './openapi';
import { realisticBody, withKnownIds, type KnownEventIds } from './realistic-bodies';
import { BAD_DATES, invalidBody, oddText, RawJson, validValue } from './schema-arbitraries';

/** One fuzzed HTTP request, with what was done to it (for the report of a failure). */
export interface FuzzRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** The body as sent (JSON, or not). */
  body?: { text: string };
  /** What makes this request odd, one phrase per oddity ('valid' when nothing). */
  notes: string[];
  /** A minPosition the request asked the read model to reach (X-Min-Position or the query), if numeric. */
  minPosition?: bigint;
}

export interface FuzzContext {
  document: OpenApiDocument;
  /** Ids of events of a journey known to the test (for corrections and reconsiderations). */
  eventIds(journeyId: string | undefined): KnownEventIds;
  /** Journeys on the fuzzed support worker's caseload (grows as identifications succeed). */
  ownJourneys(): string[];
  /** A journey on another organisation's caseload. */
  otherJourney: string;
  projectionNames: string[];
  /** Largest huge string to try (bigger than the body limit, to get 413 too). */
  hugeMax: number;
}

const SHARED_IDEMPOTENCY_KEYS = ['fuzz-key-1', 'fuzz-key-2', 'fuzz-key-3'];

/** Path parameter values: mostly real journeys, else unknown, odd, injection-like or very long ids. */
type PathValue = { value: string; note?: string; journeyId?: string; raw?: boolean };

/** Segments sent without percent-encoding them first: malformed escapes, encoded slashes and dots, NUL. */
const rawPathSegment = fc.constantFrom('%E0%A4%A', '%', '%zz', '%C0%AF', '%00', '..%2F..%2Fhealth', '%2F', '%2e%2e', '%u0041', '%ef%bf%bf')
  .map((value): PathValue => ({ value, raw: true, note: `unencoded segment ${value}` }));

function journeyIdArb(context: FuzzContext): fc.Arbitrary<PathValue> {
  const own = fc.nat().map((i) => {
    const journeys = context.ownJourneys();
    return journeys[i % journeys.length];
  });
  return fc.oneof(
    { weight: 12, arbitrary: own.map((id) => ({ value: id, journeyId: id })) },
    { weight: 2, arbitrary: fc.constant({ value: context.otherJourney, note: 'another organisation’s journey', journeyId: context.otherJourney }) },
    { weight: 2, arbitrary: fc.uuid({ version: 4 }).map((id) => ({ value: id, note: 'unknown journey id' })) },
    { weight: 1, arbitrary: own.map((id) => ({ value: id.toUpperCase(), note: 'upper-case journey id' })) },
    { weight: 3, arbitrary: oddPathSegment().map((value) => ({ value, note: `odd id ${JSON.stringify(value.slice(0, 60))}${value.length > 60 ? `… (${value.length})` : ''}` })) },
    { weight: 1, arbitrary: rawPathSegment },
  );
}

function oddPathSegment(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'not-a-uuid', ' ', '0', '-1', 'null', 'undefined', 'NaN',
      "1' OR '1'='1", '1; DROP TABLE events;--', '{"$gt":""}', '$where', '__proto__', 'constructor', '..', '../health', '%2e%2e', '%00',
      '<script>', '${7*7}', '*', 'journeys', 'a/b', '\\', '\u0000', 'é', '🙂',
    ),
    fc.uuid({ version: 4 }).map((id) => `${id}x`),
    fc.uuid({ version: 4 }).map((id) => `{${id}}`),
    fc.uuid({ version: 4 }).map((id) => id.replace(/-/g, '')),
    fc.tuple(fc.integer({ min: 37, max: 4000 }), fc.constantFrom('a', '1', '-', 'é')).map(([n, c]) => c.repeat(n)),
    oddText,
  );
}

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '?'));
  }
}

/** Values for one query or header parameter: valid per its schema, or not. */
function parameterValue(context: FuzzContext, parameter: Parameter): fc.Arbitrary<{ value: string; note?: string }> {
  const { schema, name } = parameter;
  const valid = (name === 'minPosition' || name === 'X-Min-Position' || name === 'atPosition' || name === 'from' && !schema.format || name === 'to' && !schema.format)
    ? fc.oneof(fc.integer({ min: 0, max: 30 }).map(String), { weight: 1, arbitrary: fc.constantFrom('999999999', '1'.padStart(40, '0')) })
    : validValue(context.document, schema).map((v) => String(v));
  const invalid = fc.oneof(
    fc.constantFrom('', ' ', '-1', '0', '1.5', '1e309', 'NaN', 'Infinity', 'true', 'null', '[]', '{}', '9'.repeat(50), 'x'.repeat(3000)),
    schema.format === 'date' ? fc.constantFrom(...BAD_DATES) : fc.constant('not-a-date'),
    oddText.map((s) => s.replace(/[\ud800-\udfff]/g, '?')),
  );
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((value) => ({ value })) },
    { weight: 2, arbitrary: invalid.map((value) => ({ value, note: `${name}=${JSON.stringify(value.slice(0, 40))}` })) },
  );
}

const ODD_CONTENT_TYPES = [
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1',
  'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/json, text/plain', 'application/jsonx', '*/*', 'json',
];

const ODD_IF_MATCH = [
  'yesterday', '*', '"-1"', '-1', '""', '"1', '1"', 'W/', 'W/"x"', '"99999999999999999999"', '"1", "2"', '"0x1"', '"\u00b9"', ' ', '\t"2"\t', '"2.0"', 'é', 'x'.repeat(2000),
];

const ODD_IDEMPOTENCY_KEYS = ['', ' ', 'a b', 'a'.repeat(255), 'a'.repeat(256), 'clé', 'k\t', '"quoted"', 'x'.repeat(5000), '\u00ff'];

/** Header values: the documented headers valid or odd, and odd extras. */
function headersArb(context: FuzzContext, operation: Operation): fc.Arbitrary<{ headers: Record<string, string>; notes: string[] }> {
  const entries: Array<fc.Arbitrary<{ name: string; value: string; note?: string } | null>> = [];
  for (const parameter of operation.parameters.filter((p) => p.in === 'header')) {
    const name = parameter.name.toLowerCase();
    let arb: fc.Arbitrary<{ value: string; note?: string }>;
    if (name === 'if-match') {
      arb = fc.oneof(
        fc.integer({ min: 0, max: 12 }).chain((n) => fc.constantFrom(`"${n}"`, `W/"${n}"`, String(n))).map((value) => ({ value })),
        fc.constantFrom(...ODD_IF_MATCH).map((value) => ({ value, note: `If-Match ${JSON.stringify(value.slice(0, 30))}` })),
      );
    } else if (name === 'idempotency-key') {
      arb = fc.oneof(
        fc.uuid({ version: 4 }).map((value) => ({ value })),
        fc.constantFrom(...SHARED_IDEMPOTENCY_KEYS).map((value) => ({ value, note: `shared Idempotency-Key ${value}` })),
        fc.constantFrom(...ODD_IDEMPOTENCY_KEYS).map((value) => ({ value, note: `Idempotency-Key ${JSON.stringify(value.slice(0, 30))} (${value.length})` })),
      );
    } else arb = parameterValue(context, parameter);
    const present = arb.map((v) => ({ name, ...v }));
    entries.push(parameter.required ? fc.oneof({ weight: 9, arbitrary: present }, { weight: 1, arbitrary: fc.constant({ name, value: '', note: `${parameter.name} missing` }) }) : fc.option(present, { freq: 2 }));
  }
  entries.push(fc.option(fc.constantFrom('', 'x'.repeat(200), 'abc-123', '<script>', 'a b').map((value) => ({ name: 'x-correlation-id', value, note: `X-Correlation-Id ${JSON.stringify(value.slice(0, 20))}` })), { freq: 8 }));
  return fc.tuple(...entries).map((chosen) => {
    const headers: Record<string, string> = {};
    const notes: string[] = [];
    for (const entry of chosen) {
      if (!entry) continue;
      if (!(entry.note?.endsWith('missing'))) headers[entry.name] = headerSafe(entry.value);
      if (entry.note) notes.push(entry.note);
    }
    return { headers, notes };
  });
}

/** What an HTTP client can put in a header at all: tab and printable Latin-1. */
const headerSafe = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

function queryArb(context: FuzzContext, operation: Operation): fc.Arbitrary<{ query: string; notes: string[]; minPosition?: bigint }> {
  const parameters = operation.parameters.filter((p) => p.in === 'query');
  const one = (parameter: Parameter) => {
    const present = parameterValue(context, parameter).map((v) => ({ name: parameter.name, ...v }));
    return parameter.required
      ? fc.oneof({ weight: 9, arbitrary: present }, { weight: 1, arbitrary: fc.constant({ name: parameter.name, value: undefined as string | undefined, note: `${parameter.name} missing` }) })
      : fc.option(present, { freq: 2 });
  };
  const extra = fc.option(fc.oneof(
    fc.constant({ name: 'unknown', value: '1', note: 'unknown query parameter' }),
    fc.constant({ name: '__proto__[x]', value: '1', note: 'query __proto__[x]' }),
    ...parameters.map((p) => fc.constant({ name: p.name, value: 'twice', note: `${p.name} given twice` })),
  ), { freq: 6 });
  return fc.tuple(fc.tuple(...parameters.map(one)), extra).map(([chosen, more]) => {
    const search = new URLSearchParams();
    const notes: string[] = [];
    let minPosition: bigint | undefined;
    for (const entry of [...chosen, more]) {
      if (!entry) continue;
      if (entry.value !== undefined) search.append(entry.name, entry.value);
      if (entry.note) notes.push(entry.note);
      if (entry.name === 'minPosition' && entry.value && /^\d+$/.test(entry.value)) minPosition = BigInt(entry.value);
    }
    const query = search.toString();
    return { query: query ? `?${query}` : '', notes, minPosition };
  });
}

type BodyChoice = { body?: { json: unknown } | { text: string }; contentType?: string; notes: string[] };

const RAW_BODIES = [
  '{"occurredAt":', '{', '[', '', 'null', 'nul', '"text"', '{"a":1,"a":2}', '\ufeff{}', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}',
  '{"occurredAt":"2024-01-08"}garbage', "{'single':'quotes'}", '{"a":NaN}', '{"a":1e999}', '\u0000', '{"a":"\\ud800"}', '[{}]',
];

/** Bodies for one operation, built once (building some arbitraries is slow). */
function bodyArb(context: FuzzContext, operation: Operation): fc.Arbitrary<BodyChoice> {
  const realistic = realisticBody(operation.route);
  const schemaValid = operation.body ? validValue(context.document, operation.body) : fc.constant({});
  const good = realistic ? fc.oneof({ weight: 3, arbitrary: realistic }, { weight: 1, arbitrary: schemaValid }) : schemaValid;
  const asJson = (note: string) => (json: unknown): BodyChoice => ({ body: json instanceof RawJson ? { text: json.text } : { json }, notes: [note] });
  const choices: Array<fc.WeightedArbitrary<BodyChoice>> = [
    { weight: 4, arbitrary: good.map(asJson('valid body')) },
    { weight: 5, arbitrary: good.chain((body) => invalidBody(context.document, operation.body ?? { type: 'object' }, body, context.hugeMax)).map((m) => asJson(m.kind)(m.body)) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES).map((text) => ({ body: { text }, notes: [`raw body ${JSON.stringify(text)}`] })) },
    {
      weight: 1,
      arbitrary: fc.tuple(good, fc.constantFrom(...ODD_CONTENT_TYPES, 'none')).map(([json, contentType]) => ({
        body: { text: JSON.stringify(json) }, contentType, notes: [`content-type ${contentType}`],
      })),
    },
  ];
  if (!operation.body || !operation.bodyRequired) choices.push({ weight: 3, arbitrary: fc.constant({ notes: ['no body'] }) });
  return fc.oneof(...choices);
}

/** Requests for one operation: path, query, headers and body each valid or odd. */
export function requestArb(context: FuzzContext, operation: Operation): fc.Arbitrary<FuzzRequest> {
  const pathParameters = operation.parameters.filter((p) => p.in === 'path');
  const pathArb = fc.tuple(...pathParameters.map((p): fc.Arbitrary<PathValue> => (p.name === 'id'
    ? journeyIdArb(context)
    : fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...context.projectionNames).map((value) => ({ value })) },
      { weight: 2, arbitrary: oddPathSegment().map((value) => ({ value, note: `odd ${p.name} ${JSON.stringify(value.slice(0, 40))}` })) },
      { weight: 1, arbitrary: rawPathSegment },
    ))));
  const bodies: fc.Arbitrary<BodyChoice | undefined> = operation.method === 'GET' ? fc.constant(undefined) : bodyArb(context, operation);
  return fc.tuple(pathArb, queryArb(context, operation), headersArb(context, operation), bodies).map(([path, query, headers, choice]) => {
    let concrete = operation.path;
    const notes = [...query.notes, ...headers.notes];
    let journeyId: string | undefined;
    pathParameters.forEach((p, i) => {
      concrete = concrete.replace(`{${p.name}}`, path[i].raw ? path[i].value : encodeSegment(path[i].value));
      if (path[i].note) notes.push(path[i].note!);
      journeyId ??= path[i].journeyId;
    });
    const minHeader = headers.headers['x-min-position'];
    const minPosition = query.minPosition ?? (minHeader && /^\d+$/.test(minHeader) ? BigInt(minHeader) : undefined);
    const base = { method: operation.method, path: concrete + query.query, minPosition };
    if (!choice) return { ...base, headers: headers.headers, notes: notes.length ? notes : ['valid'] };
    const allNotes = [...notes, ...choice.notes].filter((n) => n !== 'valid body');
    const out: Record<string, string> = { ...headers.headers };
    if (choice.body) {
      const contentType = choice.contentType ?? 'application/json';
      if (contentType !== 'none') out['content-type'] = contentType;
    }
    const ids = context.eventIds(journeyId);
    const body = choice.body === undefined ? undefined
      : 'text' in choice.body ? { text: withKnownIds(choice.body.text, ids) }
        : { text: withKnownIds(JSON.stringify(choice.body.json) ?? '', ids) };
    return { ...base, headers: out, body, notes: allNotes.length ? allNotes : ['valid'] };
  });
}

export interface FuzzResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
  isJson: boolean;
}

/** Sends `request` as it is: no retries, no redirects followed. */
export async function send(baseUrl: string, request: FuzzRequest, authorization: string | undefined): Promise<FuzzResponse> {
  const headers: Record<string, string> = { ...request.headers };
  if (authorization !== undefined) headers.authorization = authorization;
  const body = request.body?.text;
  const response = await fetch(baseUrl + request.path, { method: request.method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let json: unknown;
  let isJson = false;
  if (/^application\/json\b/i.test(response.headers.get('content-type') ?? '')) {
    try {
      json = JSON.parse(text);
      isJson = true;
    } catch {
      // reported by the checks
    }
  }
  return { status: response.status, headers: response.headers, text, json, isJson };
}

/** A request as a short line for a failure report. */
export function describeRequest(request: FuzzRequest): string {
  const body = request.body === undefined ? '' : ` ${request.body.text}`;
  const headers = Object.entries(request.headers).map(([k, v]) => `${k}: ${v.length > 60 ? `${v.slice(0, 60)}…(${v.length})` : v}`).join('; ');
  return `${request.method} ${request.path.length > 200 ? `${request.path.slice(0, 200)}…(${request.path.length})` : request.path} [${headers}]${body.length > 400 ? `${body.slice(0, 400)}…(${body.length})` : body} — ${request.notes.join(', ')}`;
}
