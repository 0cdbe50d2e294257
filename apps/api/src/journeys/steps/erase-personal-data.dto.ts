import * as C from '../../../../../libs/domain/src/codes';
import { CodeField, DateField, TextField } from '../../http/fields';

/**
 * Erases the person's personal data. `reason` is a reference to the erasure request (a case
 * or ticket number), kept in the history in plain text: it must not itself be personal data,
 * so it is limited to reference characters.
 */
export class ErasePersonalDataDto {
  /** Defaults to today. */
  @DateField({ optional: true }) occurredAt?: string;
  @TextField(200, { pattern: /^[\w .:/#()-]+$/ }) reason!: string;
  @CodeField(C.ERASURE_LEGAL_BASES) legalBasis!: C.ErasureLegalBasis;
}
