import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The OpenAPI description of what http/error.filter.ts sends for every error, so that clients
 * (and the HTTP fuzz test, test/resilience/http-fuzz.spec.ts) can check error bodies against it.
 */
export class FieldProblemDto {
  @ApiProperty({ description: 'The field, dotted for nested ones (a header or path parameter by its name)' }) field!: string;
  @ApiProperty({ description: 'The rule broken, e.g. isIn, unknownField, isCalendarDate' }) rule!: string;
  @ApiProperty() message!: string;
}

export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status, repeated' }) statusCode!: number;
  @ApiProperty({ pattern: '^[A-Z][A-Z0-9_]*$', description: 'Stable error code, e.g. VALIDATION_FAILED, JOURNEY_NOT_FOUND, CONCURRENCY_CONFLICT' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: () => [FieldProblemDto], description: 'VALIDATION_FAILED: every field refused, with its rule' }) errors?: FieldProblemDto[];
  @ApiPropertyOptional({ description: 'A broken journey rule: the field it is about' }) field?: string;
  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'CONCURRENCY_CONFLICT: the journey’s revision now (also the ETag)' }) currentRevision?: number | null;
}

/** What a recorded step answers (201), also with the new revision as ETag. */
export class StepRecordedDto {
  @ApiProperty({ format: 'uuid' }) journeyId!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The journey’s revision after this step (the ETag)' }) revision!: number;
  @ApiProperty({ pattern: '^[0-9]+$', description: 'The global position of the step’s last event, for minPosition' }) position!: string;
}
