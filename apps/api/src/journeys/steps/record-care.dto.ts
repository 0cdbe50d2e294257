import * as C from '../../../../../libs/domain/src/codes';
import { CodeField, DateField, IntegerField, TextField } from '../../http/fields';

export class RecordCareDto {
  @DateField({ optional: true, description: 'Defaults to startedOn' }) occurredAt?: string;
  @CodeField(C.CARE_SERVICES) service!: C.CareService;
  @TextField(100) providerId!: string;
  @DateField() startedOn!: string;
  @DateField({ optional: true }) endedOn?: string;
  @IntegerField(0, 1_000_000_000, { optional: true, description: 'Cost in pence' }) costPence?: number;
}
