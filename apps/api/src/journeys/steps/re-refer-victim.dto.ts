import * as C from '../../../../../libs/domain/src/codes';
import { BooleanField, CodeField, DateField, TextField } from '../../http/fields';
import { REFERENCE } from './refer-victim.dto';

export class ReReferVictimDto {
  @DateField() occurredAt!: string;
  @TextField(64, { pattern: REFERENCE }) newReferralId!: string;
  @TextField(64, { pattern: REFERENCE }) previousReferralId!: string;
  @BooleanField({ description: 'Whether the re-referral is about the same exploitation' }) sameIncident!: boolean;
  @CodeField(C.COMPETENT_AUTHORITIES) competentAuthority!: C.CompetentAuthority;
}
