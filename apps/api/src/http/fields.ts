import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, ValidateIf, Matches, Max,
  MaxLength, Min, MinLength, ValidateBy, ValidateNested, buildMessage,
} from 'class-validator';
import { isCalendarDate } from '../../../../libs/domain/src/calendar/calendar-date';

/**
 * Field decorators that declare a rule once for both validation (class-validator) and the
 * OpenAPI document, so the two cannot drift apart.
 */
// OpenAPI's integer type; swagger takes the type by name.
const Integer = 'integer';

interface FieldOptions {
  optional?: boolean;
  /** Validate only when this holds (the field is documented as optional). */
  when?: (object: any, value: unknown) => boolean;
  description?: string;
}

const doc = (options: FieldOptions, schema: Record<string, unknown>) =>
  options.optional || options.when ? ApiPropertyOptional({ ...schema, description: options.description }) : ApiProperty({ ...schema, description: options.description });
const presence = (options: FieldOptions) =>
  options.when ? [ValidateIf(options.when)] : options.optional ? [IsOptional()] : [];

/** One of a list of codes. */
export const CodeField = (values: readonly string[], options: FieldOptions = {}) =>
  applyDecorators(...presence(options), IsIn([...values]), doc(options, { enum: [...values], type: String }));

/** A non-empty list of codes, each from the list, no more than `max`. */
export const CodeListField = (values: readonly string[], options: FieldOptions & { max?: number; allowEmpty?: boolean } = {}) =>
  applyDecorators(
    ...presence(options), IsArray(), ...(options.allowEmpty ? [] : [ArrayMinSize(1)]), ArrayMaxSize(options.max ?? values.length),
    IsIn([...values], { each: true }),
    doc(options, { enum: [...values], isArray: true, type: String }),
  );

/** A UK calendar date, YYYY-MM-DD, that exists. */
export const DateField = (options: FieldOptions = {}) =>
  applyDecorators(
    ...presence(options),
    ValidateBy({
      name: 'isCalendarDate',
      validator: {
        validate: (value) => isCalendarDate(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a real date in the form YYYY-MM-DD`),
      },
    }),
    doc(options, { type: String, format: 'date', example: '2024-01-08' }),
  );

export const BooleanField = (options: FieldOptions = {}) =>
  applyDecorators(...presence(options), IsBoolean(), doc(options, { type: Boolean }));

export const IntegerField = (min: number, max: number, options: FieldOptions = {}) =>
  applyDecorators(...presence(options), IsInt(), Min(min), Max(max), doc(options, { type: Integer, minimum: min, maximum: max }));

/** Free text or an identifier, trimmed length 1..max. */
export const TextField = (max: number, options: FieldOptions & { pattern?: RegExp } = {}) =>
  applyDecorators(
    ...presence(options), IsString(), MinLength(1), MaxLength(max),
    ...(options.pattern ? [Matches(options.pattern)] : []),
    doc(options, { type: String, maxLength: max, pattern: options.pattern?.source }),
  );

/** A list of short codes in snake_case (indicators, needs domains, HTCDS codes). */
const SNAKE_CODE = /^[a-z0-9]+(_[a-z0-9]+)*$/;
export const SnakeCodeField = (options: FieldOptions = {}) => TextField(64, { ...options, pattern: SNAKE_CODE });
export const SnakeCodeListField = (max: number, options: FieldOptions = {}) =>
  applyDecorators(
    ...presence(options), IsArray(), ArrayMaxSize(max), IsString({ each: true }), MaxLength(64, { each: true }),
    Matches(SNAKE_CODE, { each: true }),
    doc(options, { type: String, isArray: true, pattern: SNAKE_CODE.source }),
  );

/**
 * A nested object validated with its own class. Swagger takes a function as a lazy type only
 * when the function is named `type` (`{ type: () => X }`); the thunk passed in is anonymous, so
 * it is wrapped, else the document refers to `#/components/schemas/` with no name.
 */
export const NestedField = (type: () => new () => object, options: FieldOptions = {}) =>
  applyDecorators(...presence(options), ValidateNested(), Type(type), doc(options, { type: () => type() }));
