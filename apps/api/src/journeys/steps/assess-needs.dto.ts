import * as C from '../../../../../libs/domain/src/codes';
import { CodeField, DateField, IntegerField, SnakeCodeListField } from '../../http/fields';

export class AssessNeedsDto {
  @DateField() occurredAt!: string;
  @SnakeCodeListField(30) domains!: string[];
  @CodeField(C.RISK_LEVELS) riskLevel!: C.RiskLevel;
  @IntegerField(0, 50) dependants!: number;
}
