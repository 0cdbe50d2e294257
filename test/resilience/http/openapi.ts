import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The parts of the served OpenAPI 3.0 document the HTTP fuzz test reads: its operations, their
 * parameters, request and response schemas, and validators for response bodies built with ajv
 * from the document's own components.
 */
export type Schema = Record<string, any>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: 'GET' | 'POST';
  /** The path template as the document writes it: `/journeys/{id}/care`. */
  path: string;
  /** `POST /journeys/{id}/care`: a route's name in reports. */
  route: string;
  parameters: Parameter[];
  /** The JSON request body's schema, $refs resolved at the top only. */
  body?: Schema;
  bodyRequired: boolean;
  /** Statuses the document declares for this operation, with the JSON schema when it gives one. */
  responses: Map<string, Schema | undefined>;
  /** Public routes (no security requirement). */
  public: boolean;
  /** The 403 response's description, which names the roles let in ('Only admin may call this'). */
  refusal?: string;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  components?: { schemas?: Record<string, Schema> };
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const upper = method.toUpperCase();
      if (upper !== 'GET' && upper !== 'POST') throw new Error(`The fuzz test knows GET and POST only, not ${upper} ${path}`);
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        method: upper,
        path,
        route: `${upper} ${path}`,
        parameters: (operation.parameters ?? []).map((p: any) => ({ name: p.name, in: p.in, required: !!p.required, schema: p.schema ?? { type: 'string' } })),
        body: bodySchema ? resolve(document, bodySchema) : undefined,
        bodyRequired: !!operation.requestBody?.required,
        responses: new Map(Object.entries(operation.responses ?? {}).map(([status, response]: [string, any]) => [status, response.content?.['application/json']?.schema])),
        public: !operation.security || operation.security.length === 0,
        refusal: operation.responses?.['403']?.description,
      });
    }
  }
  return operations;
}

/** Follows a local `$ref` (`#/components/schemas/X`) to the schema it names; throws on a broken one. */
export function resolve(document: OpenApiDocument, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current && typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${schema.$ref}`);
    current = lookup(document, current.$ref);
  }
  return current;
}

function lookup(document: OpenApiDocument, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`Only local $refs are expected, not ${ref}`);
  let node: any = document;
  for (const part of ref.slice(2).split('/')) {
    if (part === '' || node === undefined) throw new Error(`The $ref ${JSON.stringify(ref)} names nothing`);
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (node === undefined || node === null || typeof node !== 'object') throw new Error(`The $ref ${JSON.stringify(ref)} names nothing`);
  return node;
}

/** Every `$ref` in the document, with where it is, that does not name a schema. */
export function brokenRefs(document: OpenApiDocument): string[] {
  const broken: string[] = [];
  const walk = (node: unknown, where: string) => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${where}[${i}]`));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        try {
          lookup(document, value);
        } catch {
          broken.push(`${where}: ${value}`);
        }
      } else walk(value, `${where}/${key}`);
    }
  };
  walk(document, '');
  return broken;
}

/**
 * OpenAPI 3.0 schema objects as JSON Schema for ajv: `nullable: true` becomes a type that
 * also allows null; `$ref`s point into the document registered under the id `openapi`.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) out.$ref = `openapi${value}`;
    else if (key === 'example' || key === 'nullable') continue;
    else out[key] = toJsonSchema(value);
  }
  const source = node as Schema;
  if (source.nullable === true) {
    if (typeof source.type === 'string') out.type = [source.type, 'null'];
    else if (out.$ref) return { anyOf: [{ $ref: out.$ref }, { type: 'null' }] };
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  }
  return out;
}

export class ResponseValidators {
  private readonly ajv: Ajv;
  /** By the schema's JSON: each operation has its own `{ $ref }` objects for the same few schemas. */
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi', components: toJsonSchema(document.components ?? {}) } as any);
  }

  /** Compiles `schema` (a schema of the document); throws if it cannot be compiled (e.g. a broken $ref). */
  validator(schema: Schema): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as object);
      this.cache.set(key, validate);
    }
    return validate;
  }

  /** Problems of `value` against `schema`, as short strings (none when it validates). */
  problems(schema: Schema, value: unknown): string[] {
    const validate = this.validator(schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  }
}
