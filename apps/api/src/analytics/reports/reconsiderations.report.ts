import type { Counters } from '../../../../../projections/analytics/aggregate';
import { rate, type Measure, type ReportDefinition } from '../report';

const count = (value: number | undefined): Measure => ({ kind: 'count', value: value ?? 0 });

/**
 * `GET /analytics/reconsiderations` (facts/reconsiderations.ts): requests by request date,
 * negative decisions by decision date, and what became of the requests.
 * - `requestRate` = requests / negative decisions of the period (a ratio of two flows in the
 *   same period, so it can exceed 1 when a period's requests concern earlier decisions);
 * - `overturnRate` = overturned / requests decided, over the requests of the period whose
 *   new decision has been made (pending requests are left out, not counted as upheld).
 */
export const reconsiderationsDefinition: ReportDefinition = {
  measures(counters: Counters) {
    const requests = counters.requests ?? 0;
    const negativeDecisions = counters.negativeDecisions ?? 0;
    const requestsDecided = counters.requestsDecided ?? 0;
    const overturned = counters.overturned ?? 0;
    return {
      requests: count(requests),
      negativeDecisions: count(negativeDecisions),
      requestRate: { kind: 'statistic', value: rate(requests, negativeDecisions), base: negativeDecisions, dependsOn: ['requests', 'negativeDecisions'] },
      requestsDecided: count(requestsDecided),
      overturned: count(overturned),
      overturnRate: { kind: 'statistic', value: rate(overturned, requestsDecided), base: requestsDecided, dependsOn: ['overturned', 'requestsDecided'] },
    };
  },
};
