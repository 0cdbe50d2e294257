import { exitsDefinition } from './exits.report';

describe('exits report', () => {
  const counters = {
    exits: 40, 'reason.move_on_complete': 12, 'reason.lost_contact': 10, 'reason.withdrew': 18,
    'daysInSupport.100': 10, 'daysInSupport.200': 10, 'daysInSupport.300': 20, stableHousing: 8, leaveToRemain: 11,
  };

  it('measures exits by reason, median days in support and the shares of exits (hand-computed)', () => {
    const values = Object.fromEntries(Object.entries(exitsDefinition.measures(counters)).map(([name, m]) => [name, m.value]));
    expect(values).toEqual({
      exits: 40, 'reason.move_on_complete': 12, 'reason.negative_decision': 0, 'reason.withdrew': 18, 'reason.lost_contact': 10,
      'reason.returned_home': 0, 'reason.detained': 0, 'reason.deceased': 0, 'reason.other': 0,
      // 40 stays: the 20th is 200 days, the 21st 300.
      medianDaysInSupport: 250, stableHousing: 8, stableHousingRate: 0.2, leaveToRemain: 11, leaveToRemainRate: 0.275, lostContactRate: 0.25,
    });
  });

  it('makes each share depend on its count and exits, and protects the reasons together with exits', () => {
    const measures = exitsDefinition.measures(counters);
    expect(measures.lostContactRate).toMatchObject({ base: 40, dependsOn: ['reason.lost_contact', 'exits'] });
    expect(measures.stableHousingRate).toMatchObject({ dependsOn: ['stableHousing', 'exits'] });
    expect(exitsDefinition.additive).toEqual([{ total: 'exits', parts: expect.arrayContaining(['reason.move_on_complete', 'reason.deceased']) }]);
    expect(exitsDefinition.additive![0].parts).toHaveLength(8);
  });
});
