import * as C from '../../../../../libs/domain/src/codes';
import { BooleanField, CodeField, DateField, TextField } from '../../http/fields';

export class RecordConsentDto {
  @DateField() occurredAt!: string;
  @CodeField(C.CONSENT_SCOPES) scope!: C.ConsentScope;
  @BooleanField() given!: boolean;
  @BooleanField() interpreterUsed!: boolean;
  @TextField(35, { optional: true, pattern: /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, description: 'BCP 47 language tag' }) language?: string;
}
