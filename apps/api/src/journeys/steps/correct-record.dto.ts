import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateBy, ValidateNested } from 'class-validator';
import { DateField, TextField } from '../../http/fields';

/** A dotted path of field names: `decidedAt`, `firstResponder.organisationType`, `personalDetails.contact.phone`. */
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*){0,3}$/;
/** Reference characters and plain punctuation: a reason is kept in plain text in the history, so it must not carry personal data. */
const REASON = /^[\w .,:;/#()'-]+$/;

export class FieldChangeDto {
  @TextField(100, { pattern: FIELD_PATH, description: 'Dotted path of the field in the corrected event’s data' }) field!: string;

  @ApiProperty({ description: 'The value the field should have had (validated as the step’s own request validates it); null removes an optional field' })
  @ValidateBy({ name: 'isPresent', validator: { validate: (value) => value !== undefined, defaultMessage: () => 'value is required (null removes an optional field)' } })
  value!: unknown;
}

/** Corrects fields of an earlier event of the journey; the original stays in the history. */
export class CorrectRecordDto {
  @DateField({ optional: true, description: 'When the error was found and corrected; defaults to today' }) occurredAt?: string;
  @TextField(64, { description: 'id of the event to correct, as GET /journeys/:id/history lists it' }) correctedEventId!: string;

  @ApiProperty({ type: FieldChangeDto, isArray: true, minItems: 1, maxItems: 20 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => FieldChangeDto)
  changes!: FieldChangeDto[];

  @TextField(500, { pattern: REASON, description: 'Why the record was wrong (a reference or a short plain reason, never personal data: it stays in the history in plain text)' })
  reason!: string;
}
