import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { decided, referred } from '../../../../libs/domain/test-support/journey-fixtures';
import { SqliteReadStore } from '../../../../libs/read-store/src/embedded/sqlite-read-store';
import { cellChanges, incrementOf } from '../../../../projections/analytics/cells';
import { decisionsCells } from '../../../../projections/analytics/facts/decisions';
import { reconsiderationsCells } from '../../../../projections/analytics/facts/reconsiderations';
import { waitingCells } from '../../../../projections/analytics/facts/waiting';
import { rollupsOf } from '../../../../projections/analytics/rollups';
import type { AppConfig } from '../config';
import { StrictValidationPipe } from '../http/validation.pipe';
import { DecisionTimesQueryDto, ReconsiderationsQueryDto } from './decisions-query.dto';
import { DecisionsAnalyticsController } from './decisions.controller';
import type { Report } from './report';

import { journey, referredOn, decision } from '../../../../projections/analytics/testing/fixture-journeys';

// Referred before Easter 2024 and decided in April; one referred in January, overturned in February.
const journeys = [
  journey('a', ...referredOn('2024-03-28', 'a'), decision('reasonable_grounds', 'positive', '2024-04-02')),
  journey('b', ...referredOn('2024-03-28', 'b'), decision('reasonable_grounds', 'negative', '2024-04-08')),
  journey('c', ...referredOn('2024-03-28', 'c'), decision('reasonable_grounds', 'positive', '2024-04-09')),
  journey('d', ...referredOn('2024-01-08', 'd'), decision('reasonable_grounds', 'negative', '2024-01-10', 'd-rg1'),
    { type: 'ReconsiderationRequested', data: { occurredAt: '2024-01-20', referralId: 'ref-1', decisionEventId: 'd-rg1', requestedOn: '2024-01-20' } },
    decision('reasonable_grounds', 'positive', '2024-02-05')),
];

describe('decisions analytics routes, over cells stored as the projector stores them', () => {
  let dir: string;
  let store: SqliteReadStore;
  let controller: DecisionsAnalyticsController;
  const reply = { header: jest.fn() } as unknown as FastifyReply;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vjt-decisions-'));
    store = SqliteReadStore.open({ directory: dir });
    const fine = journeys.flatMap((doc) => [...decisionsCells(doc), ...waitingCells(doc), ...reconsiderationsCells(doc)]);
    const cells = [...fine, ...fine.flatMap(rollupsOf)];
    await store.collection('analytics').bulkWrite([...cellChanges([], cells)].map(([id, { cell, inc }]) => ({
      updateOne: { filter: { _id: id }, update: { $inc: incrementOf(inc), $setOnInsert: { kind: cell.level ?? 'cell', family: cell.family, date: cell.date, dims: cell.dims, extra: cell.extra ?? {} } }, upsert: true },
    })));
    controller = new DecisionsAnalyticsController(store, { suppressionThreshold: 1 } as AppConfig);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers decision times by decision date', async () => {
    const report = (await controller.decisionTimes({ stage: 'reasonable_grounds', from: '2024-04-01', to: '2024-06-30' }, reply)) as Report;
    expect(report).toMatchObject({ stage: 'reasonable_grounds', basis: 'decision' });
    expect(report.total.values).toEqual({ decisions: 3, positive: 2, positiveRate: 0.6667, medianDays: 5, p90Days: 6, withinTargetRate: 0.6667 });
  });

  it('answers decision times by referral cohort, finding cells by referral date', async () => {
    const report = (await controller.decisionTimes({ stage: 'reasonable_grounds', basis: 'cohort', from: '2024-01-01', to: '2024-03-31' }, reply)) as Report;
    expect(report.periodTotals.map((row) => [row.period, row.values.decisions, row.values.medianDays])).toEqual([['2024-Q1', 4, 5.5]]);
  });

  it('answers the backlog at a date, by competent authority', async () => {
    const report = (await controller.backlog({ asOf: '2024-04-03', by: 'competentAuthority' }, reply)) as Report;
    expect(report.asOf).toBe('2024-04-03');
    expect(report.rows.map((row) => [row.period, row.dims, row.values.awaitingReasonableGrounds, row.values.awaitingConclusiveGrounds, row.values.conclusiveGroundsMedianAgeDays]))
      .toEqual([['2024-Q2', { competentAuthority: 'SCA' }, 2, 2, 29.5]]); // CG since 2 April (1 day) and 5 February (58 days)
  });

  it('answers reconsiderations, and the same figures as CSV', async () => {
    const report = (await controller.reconsiderations({ period: 'year' }, reply)) as Report;
    expect(report.total.values).toEqual({ requests: 1, negativeDecisions: 2, requestRate: 0.5, requestsDecided: 1, overturned: 1, overturnRate: 1 });
    const csv = (await controller.reconsiderations({ period: 'year', format: 'csv' }, reply)) as string;
    expect(csv.split('\r\n')).toEqual([
      'level,period,requests,negativeDecisions,requestRate,requestsDecided,overturned,overturnRate',
      'row,2024,1,2,0.5,1,1,1',
      'period_total,2024,1,2,0.5,1,1,1',
      'total,,1,2,0.5,1,1,1',
      '',
    ]);
  });
});

describe('decisions analytics query parameters', () => {
  const pipe = new StrictValidationPipe();
  const check = (metatype: new () => object, value: object) => pipe.transform(value, { type: 'query', metatype });

  it('needs a known stage for decision times, and takes basis decision or cohort', async () => {
    await expect(check(DecisionTimesQueryDto, { stage: 'conclusive_grounds', basis: 'cohort', period: 'year' })).resolves.toMatchObject({ stage: 'conclusive_grounds', basis: 'cohort' });
    await expect(check(DecisionTimesQueryDto, {})).rejects.toMatchObject({ problems: [expect.objectContaining({ field: 'stage' })] });
    await expect(check(DecisionTimesQueryDto, { stage: 'reasonable_grounds', basis: 'referral' })).rejects.toMatchObject({ problems: [expect.objectContaining({ field: 'basis' })] });
  });

  it('takes an optional stage for reconsiderations', async () => {
    await expect(check(ReconsiderationsQueryDto, {})).resolves.toBeDefined();
    await expect(check(ReconsiderationsQueryDto, { stage: 'final' })).rejects.toMatchObject({ problems: [expect.objectContaining({ field: 'stage' })] });
  });
});
