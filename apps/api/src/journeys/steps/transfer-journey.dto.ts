import * as C from '../../../../../libs/domain/src/codes';
import { CodeField, DateField, TextField } from '../../http/fields';

/** Moves the case to another organisation's caseload. */
export class TransferJourneyDto {
  /** Defaults to today. */
  @DateField({ optional: true }) occurredAt?: string;
  @TextField(100, { pattern: /^[\w.:-]+$/ }) toOrganisationId!: string;
  @CodeField(C.TRANSFER_REASONS) reason!: C.TransferReason;
}
