import * as C from '../../../../../libs/domain/src/codes';
import { CodeField, DateField, SnakeCodeField, TextField } from '../../http/fields';
import { REFERENCE } from './refer-victim.dto';

export class RecordDecisionDto {
  @DateField({ optional: true, description: 'When the decision was received; defaults to decidedAt' }) occurredAt?: string;
  @TextField(64, { pattern: REFERENCE }) referralId!: string;
  @CodeField(C.DECISION_STAGES) stage!: C.DecisionStage;
  @CodeField(C.DECISION_OUTCOMES) outcome!: C.DecisionOutcome;
  @DateField() decidedAt!: string;
  @SnakeCodeField({ optional: true }) reasonCode?: string;
}
