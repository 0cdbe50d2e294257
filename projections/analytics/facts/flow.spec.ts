import type { FollowUpRecorded, JourneyEvent, VictimExited } from '../../../libs/domain/src/events';
import { consented, decided, identified, referred } from '../../../libs/domain/test-support/journey-fixtures';
import { flowReport } from '../../../apps/api/src/analytics/reports/flow.report';
import type { JourneyDocument } from '../../journeys/journey.document';
import { journey, reconsideration } from '../testing/fixture-journeys';
import { FLOW_LINKS, FLOW_NODES, flowCells, linkCounter, nodeCounter } from './flow';

const start = (id: string, on: string) => [identified({ journeyId: id, occurredAt: on }), consented(true, on), referred(on)];
const decision = (...args: Parameters<typeof decided>): JourneyEvent => ({ type: 'DecisionMade', data: decided(...args) });
const exit = (occurredAt: string, reason: VictimExited['reason'] = 'withdrew'): JourneyEvent => ({ type: 'VictimExited', data: { occurredAt, reason, housing: 'temporary', immigrationStatus: 'pending' } });
const followUp = (occurredAt: string, contactMade: boolean, more: Partial<FollowUpRecorded> = {}): JourneyEvent =>
  ({ type: 'FollowUpRecorded', data: { occurredAt, monthsSinceExit: 1, contactMade, ...more } });
const reReferred = (occurredAt: string): JourneyEvent =>
  ({ type: 'VictimReReferred', data: { occurredAt, newReferralId: 'ref-2', previousReferralId: 'ref-1', sameIncident: false, competentAuthority: 'IECA' } });
const dutyToNotify = (occurredAt: string): JourneyEvent => ({ type: 'DutyToNotifySubmitted', data: { occurredAt, policeForceArea: 'E23000001', exploitationTypes: ['labour'] } });

/** The stages a journey's one flow cell says it reached, in flow order. */
const path = (doc: JourneyDocument) => FLOW_NODES.map((n) => n.id).filter((id) => flowCells(doc)[0].counters[nodeCounter(id)] === 1);

// a: positive RG and CG, exits, is contacted at a follow-up, and is re-referred.
const a = journey('a', ...start('a', '2024-01-08'), decision('reasonable_grounds', 'positive', '2024-01-12'), decision('conclusive_grounds', 'positive', '2024-03-01'),
  exit('2024-04-15', 'move_on_complete'), followUp('2024-05-15', true), reReferred('2024-09-01'));
// b: negative RG, exits, a follow-up without contact.
const b = journey('b', ...start('b', '2024-02-01'), decision('reasonable_grounds', 'negative', '2024-02-05'), exit('2024-03-01', 'negative_decision'), followUp('2024-04-01', false));
// c: waiting for the RG, still in support.
const c = journey('c', ...start('c', '2024-03-01'));
// d: positive RG, leaves support before the CG.
const d = journey('d', ...start('d', '2024-01-02'), decision('reasonable_grounds', 'positive', '2024-01-05'), exit('2024-02-01', 'lost_contact'));
// e: an adult who did not consent: a Duty to Notify only.
const e = journey('e', identified({ journeyId: 'e', occurredAt: '2024-05-01' }), consented(false, '2024-05-01'), dutyToNotify('2024-05-02'));
// f: identified, nothing else yet.
const f = journey('f', identified({ journeyId: 'f', occurredAt: '2024-06-01' }));
// g: negative RG overturned on reconsideration to positive; CG pending, in support.
const g = journey('g', ...start('g', '2024-01-03'), { id: 'g-rg', ...decision('reasonable_grounds', 'negative', '2024-01-10') }, reconsideration('g-rg', '2024-01-20'),
  decision('reasonable_grounds', 'positive', '2024-02-20'));

describe('flow: the stages each journey reached, for the journey-flow diagram', () => {
  it('follows one path per journey, dated on the identification', () => {
    expect(path(a)).toEqual(['identified', 'referred', 'rg_positive', 'cg_positive', 'exited', 'contacted', 're_referred']);
    expect(path(b)).toEqual(['identified', 'referred', 'rg_negative', 'exited', 'not_contacted', 'not_re_referred']);
    expect(path(c)).toEqual(['identified', 'referred', 'rg_pending', 'in_support']);
    expect(path(d)).toEqual(['identified', 'referred', 'rg_positive', 'cg_pending', 'exited', 'not_contacted', 'not_re_referred']);
    expect(path(e)).toEqual(['identified', 'duty_to_notify']);
    expect(path(f)).toEqual(['identified', 'not_referred']);
    expect(path(g)).toEqual(['identified', 'referred', 'rg_positive', 'cg_pending', 'in_support']);
    expect(flowCells(a)).toEqual([expect.objectContaining({ family: 'flow', date: '2024-01-08', dims: expect.objectContaining({ competentAuthority: 'SCA', nationality: 'AL' }) })]);
    expect(flowCells(e)[0].dims.competentAuthority).toBeNull();
  });

  it('counts a link for each step of the path and nothing else', () => {
    expect(flowCells(b)[0].counters).toEqual({
      journeys: 1, 'node.referred': 1, 'node.rg_negative': 1, 'node.exited': 1, 'node.not_contacted': 1, 'node.not_re_referred': 1,
      'flow.identified.referred': 1, 'flow.referred.rg_negative': 1, 'flow.rg_negative.exited': 1, 'flow.exited.not_contacted': 1, 'flow.not_contacted.not_re_referred': 1,
    });
    // Every step a path takes is a declared link of the diagram.
    const declared = new Set(FLOW_LINKS.map((l) => linkCounter(l.source, l.target)));
    for (const doc of [a, b, c, d, e, f, g]) {
      for (const name of Object.keys(flowCells(doc)[0].counters).filter((k) => k.startsWith('flow.'))) expect(declared).toContain(name);
    }
  });

  it('reports flows that conserve journeys at every node (hand-computed, threshold 1)', () => {
    const report = flowReport([a, b, c, d, e, f, g].flatMap(flowCells), { period: 'year', by: [], threshold: 1 });
    const v = report.total.values;
    expect(v.journeys).toBe(7);
    expect([v['flow.identified.referred'], v['flow.identified.duty_to_notify'], v['flow.identified.not_referred']]).toEqual([5, 1, 1]);
    expect([v['flow.referred.rg_positive'], v['flow.referred.rg_negative'], v['flow.referred.rg_pending']]).toEqual([3, 1, 1]);
    expect([v['flow.rg_positive.cg_positive'], v['flow.rg_positive.cg_pending']]).toEqual([1, 2]);
    expect([v['node.exited'], v['node.in_support'], v['node.re_referred']]).toEqual([3, 2, 1]);
    for (const node of FLOW_NODES) {
      const incoming = FLOW_LINKS.filter((l) => l.target === node.id).reduce((sum, l) => sum + v[linkCounter(l.source, l.target)]!, 0);
      const outgoing = FLOW_LINKS.filter((l) => l.source === node.id).reduce((sum, l) => sum + v[linkCounter(l.source, l.target)]!, 0);
      if (node.id !== 'identified') expect([node.id, incoming]).toEqual([node.id, v[nodeCounter(node.id)]]);
      if (FLOW_LINKS.some((l) => l.source === node.id)) expect([node.id, outgoing]).toEqual([node.id, v[nodeCounter(node.id)]]);
    }
    expect(report.nodes).toHaveLength(FLOW_NODES.length);
    expect(report.links).toContainEqual({ source: 'identified', target: 'referred', measure: 'flow.identified.referred' });
  });

  it('withholds small flows, and a second flow wherever one withheld flow could be recovered from its node', () => {
    // 12 journeys referred with a positive RG awaiting the CG in support, 1 with a negative RG (exited):
    // identified -> referred is 13; referred -> rg_negative (1) is withheld, so referred -> rg_positive (12) must be too,
    // or 13 - 12 would give it back.
    const many = Array.from({ length: 12 }, (_, i) => journey(`p${i}`, ...start(`p${i}`, '2024-01-08'), decision('reasonable_grounds', 'positive', '2024-01-12')));
    const report = flowReport([...many, b].flatMap(flowCells), { period: 'year', by: [], threshold: 10 });
    const { values, suppressed } = report.total;
    expect(values['flow.identified.referred']).toBe(13);
    expect(suppressed).toEqual(expect.arrayContaining(['flow.referred.rg_negative', 'flow.referred.rg_positive']));
    expect(values['flow.referred.rg_negative']).toBeNull();
    expect(values['flow.referred.rg_positive']).toBeNull();
  });
});
