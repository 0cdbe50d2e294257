import * as C from '../../../../../libs/domain/src/codes';
import { CodeField, DateField } from '../../http/fields';

export class RecordExitDto {
  @DateField() occurredAt!: string;
  @CodeField(C.EXIT_REASONS) reason!: C.ExitReason;
  @CodeField(C.HOUSING) housing!: C.Housing;
  @CodeField(C.IMMIGRATION_STATUSES) immigrationStatus!: C.ImmigrationStatus;
}
