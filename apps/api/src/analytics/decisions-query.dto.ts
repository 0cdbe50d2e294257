import { DECISION_STAGES, type DecisionStage } from '../../../../libs/domain/src/codes';
import { CodeField } from '../http/fields';
import { AnalyticsQueryDto } from './analytics-query.dto';
import { DECISION_BASES, type DecisionBasis } from './reports/decision-times.report';

/** `GET /analytics/decision-times`: the stage is required; decisions count by decision date unless `basis=cohort`. */
export class DecisionTimesQueryDto extends AnalyticsQueryDto {
  @CodeField(DECISION_STAGES, { description: 'The decision stage measured' }) stage!: DecisionStage;
  @CodeField(DECISION_BASES, { optional: true, description: 'Count by decision date (default, as official statistics) or by referral date (cohort)' })
  basis?: DecisionBasis;
}

/** `GET /analytics/reconsiderations`: both stages unless one is asked for. */
export class ReconsiderationsQueryDto extends AnalyticsQueryDto {
  @CodeField(DECISION_STAGES, { optional: true, description: 'Only reconsiderations of decisions at this stage' }) stage?: DecisionStage;
}
