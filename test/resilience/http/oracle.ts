import type { Operation, ResponseValidators, Schema } from './openapi';
import type { FuzzRequest, FuzzResponse } from './requests';

/**
 * What every fuzzed response must satisfy, whatever was sent:
 * - never a 5xx (except 503 NOT_YET_PROJECTED for a minPosition the log has not reached, as documented);
 * - no stack frame, source path, node_modules or data folder in the body;
 * - the body validates against the document's schema for its status, or, for an error
 *   status the document does not describe, against the app's error shape (ErrorResponseDto);
 * - an error body has only the error shape's fields, its statusCode is the status, and it is JSON;
 * - no event appended on any 4xx (the event store's head before and after is the same).
 */
export const ERROR_FIELDS = ['statusCode', 'code', 'message', 'errors', 'field', 'currentRevision'];

/** The error shape of http/error.filter.ts, for a document that does not declare one. */
export const FALLBACK_ERROR_SCHEMA: Schema = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599 },
    code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
    message: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', required: ['field', 'rule', 'message'], properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } } } },
    field: { type: 'string' },
    currentRevision: { type: 'integer', nullable: true },
  },
};

const LEAKS: Array<[RegExp, string]> = [
  [/\n\s*at [^\n]*:\d+:\d+/, 'a stack frame'],
  [/\bat (?:async )?[\w$.<>]+ \([^)]*:\d+:\d+\)/, 'a stack frame'],
  [/\/work\//, 'an internal path (/work/)'],
  [/node_modules/, 'node_modules'],
  [/\/(?:apps|libs)\/[\w/-]+\.(?:ts|js)\b/, 'a source file path'],
  [/\b(?:TypeError|ReferenceError|RangeError|SyntaxError|SqliteError)\b/, 'an internal error name'],
  [/Maximum call stack/i, 'a stack overflow message'],
  [/\bSQLITE_\w+/, 'a SQLite error code'],
];

export function judge(args: {
  operation: Operation;
  request: FuzzRequest;
  response: FuzzResponse;
  headBefore: bigint | undefined;
  headAfter: bigint | undefined;
  validators: ResponseValidators;
  errorSchema: Schema;
  dataDir: string;
}): string[] {
  const { operation, request, response, headBefore, headAfter, validators, errorSchema, dataDir } = args;
  const problems: string[] = [];
  const { status } = response;
  const code = response.isJson ? (response.json as { code?: unknown })?.code : undefined;

  if (status >= 500) {
    const notYetProjected = status === 503 && code === 'NOT_YET_PROJECTED' && request.minPosition !== undefined && (headBefore === undefined || request.minPosition > headBefore);
    if (!notYetProjected) problems.push(`answered ${status}${code ? ` ${code}` : ''}`);
  }

  for (const [pattern, what] of LEAKS) if (pattern.test(response.text)) problems.push(`the body shows ${what}`);
  if (response.text.includes(dataDir)) problems.push('the body shows the data folder');

  const declared = operation.responses.get(String(status));
  const schema = declared ?? (status >= 400 ? errorSchema : undefined);
  if (status >= 400) {
    if (!response.isJson) problems.push(`an error that is not JSON (content-type ${response.headers.get('content-type')}): ${response.text.slice(0, 120)}`);
    else {
      const body = response.json as Record<string, unknown>;
      if (!body || typeof body !== 'object' || Array.isArray(body)) problems.push('an error body that is not an object');
      else {
        const extra = Object.keys(body).filter((k) => !ERROR_FIELDS.includes(k));
        if (extra.length) problems.push(`error body fields outside the error shape: ${extra.join(', ')}`);
        if (body.statusCode !== status) problems.push(`error body statusCode ${body.statusCode} for status ${status}`);
      }
    }
  }
  if (schema && response.isJson) {
    for (const p of validators.problems(schema, response.json)) problems.push(`the body does not match the document's schema for ${status}${declared ? '' : ' (the error shape)'}: ${p}`);
  } else if (schema && !response.isJson && declared) problems.push(`the document declares a JSON body for ${status}, got content-type ${response.headers.get('content-type')}`);

  if (status >= 400 && status < 500 && headBefore !== headAfter) problems.push(`a ${status} appended events: head ${headBefore} -> ${headAfter}`);

  if (status === 201 && operation.responses.get('201')) {
    const body = response.json as { revision?: number; position?: string };
    if (response.headers.get('etag') !== `"${body?.revision}"`) problems.push(`201 with ETag ${response.headers.get('etag')} for revision ${body?.revision}`);
    if (body?.position !== undefined && headAfter !== undefined && BigInt(body.position) > headAfter) problems.push(`201 at position ${body.position} beyond the head ${headAfter}`);
  }
  if (status === 409 && code === 'CONCURRENCY_CONFLICT') {
    const current = (response.json as { currentRevision?: number | null }).currentRevision;
    if (current !== null && response.headers.get('etag') !== `"${current}"`) problems.push(`409 with ETag ${response.headers.get('etag')} for current revision ${current}`);
  }
  if (status === 401 && !response.headers.get('www-authenticate')) problems.push('401 without WWW-Authenticate');
  return problems;
}
