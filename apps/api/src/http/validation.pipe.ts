import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, ValidationFailed } from '../errors';

/**
 * class-validator with the strict settings: unknown fields are refused (whitelist +
 * forbidNonWhitelisted), and each problem names its field (dotted for nested ones) and rule.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ValidationFailed(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ValidationFailed([{ field: 'body', rule: 'isObject', message: 'The request body must be a JSON object' }]);
    }
    // class-transformer and class-validator recurse into every nested value, unknown fields too:
    // a body nested thousands deep (which JSON.parse accepts) would overflow the stack, a 500.
    if (metadata.type === 'body' && nestedDeeperThan(value, MAX_BODY_DEPTH)) {
      throw new ValidationFailed([{ field: 'body', rule: 'maxDepth', message: `The request body must not nest objects and arrays more than ${MAX_BODY_DEPTH} deep` }]);
    }
    return super.transform(value, metadata);
  }
}

/** How deep a request body may nest objects and arrays; the deepest request needs 4 (a correction's value a little more). */
export const MAX_BODY_DEPTH = 32;

/** Whether `value` nests objects or arrays more than `max` deep, found without recursion. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/** class-validator's errors as field problems, nested fields dotted. */
export function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknownField' : rule,
      message: rule === 'whitelistValidation' ? `${field} is not a field of this request` : message.replace(error.property, field),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
