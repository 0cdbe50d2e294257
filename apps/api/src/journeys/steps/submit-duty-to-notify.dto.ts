import * as C from '../../../../../libs/domain/src/codes';
import { POLICE_FORCE_AREA_CODES } from '../../../../../libs/domain/src/police-force-areas';
import { CodeField, CodeListField, DateField } from '../../http/fields';

/** Anonymous by design: there is no field for personal data. */
export class SubmitDutyToNotifyDto {
  @DateField() occurredAt!: string;
  @CodeField(POLICE_FORCE_AREA_CODES) policeForceArea!: string;
  @CodeListField(C.EXPLOITATION_TYPES) exploitationTypes!: C.ExploitationType[];
}
