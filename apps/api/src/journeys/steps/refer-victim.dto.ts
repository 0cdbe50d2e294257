import * as C from '../../../../../libs/domain/src/codes';
import { BooleanField, CodeField, DateField, TextField } from '../../http/fields';

export const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_\-/.]*$/;

export class ReferVictimDto {
  @DateField() occurredAt!: string;
  @TextField(64, { pattern: REFERENCE, description: 'The NRM referral reference' }) referralId!: string;
  @CodeField(C.COMPETENT_AUTHORITIES) competentAuthority!: C.CompetentAuthority;
  @BooleanField() supportRequested!: boolean;
}
