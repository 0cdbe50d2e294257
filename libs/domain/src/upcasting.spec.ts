import { UnknownSchemaVersionError, upcast } from './upcasting';

describe('upcasting stored events to the current shape', () => {
  const registry = {
    current: { VictimExited: 3 },
    steps: {
      VictimExited: {
        1: (d: Record<string, unknown>) => ({ ...d, housing: d.housing ?? 'unknown' }),
        2: (d: Record<string, unknown>) => ({ ...d, immigrationStatus: d.immigrationStatus ?? 'unknown' }),
      },
    },
  };
  it('applies each step from the stored version to the current one', () => {
    expect(upcast('VictimExited', 1, { reason: 'withdrew' }, registry).data).toEqual({ reason: 'withdrew', housing: 'unknown', immigrationStatus: 'unknown' });
    expect(upcast('VictimExited', 2, { reason: 'withdrew', housing: 'stable' }, registry).data).toEqual({ reason: 'withdrew', housing: 'stable', immigrationStatus: 'unknown' });
  });
  it('reads the current version as it is', () => {
    expect(upcast('VictimExited', 1, { reason: 'withdrew' }).data).toEqual({ reason: 'withdrew' });
  });
  it('gives a version 1 identification the first responder as its caseload organisation', () => {
    const v1 = { journeyId: 'j', firstResponder: { organisationId: 'police-7', organisationType: 'police' } };
    expect(upcast('VictimIdentified', 1, v1).data).toMatchObject({ caseloadOrganisationId: 'police-7' });
    expect(upcast('VictimIdentified', 2, { ...v1, caseloadOrganisationId: 'ngo-3' }).data).toMatchObject({ caseloadOrganisationId: 'ngo-3' });
  });
  it('refuses a version newer than this code knows, rather than misreading it', () => {
    expect(() => upcast('VictimExited', 2, {})).toThrow(UnknownSchemaVersionError);
  });
});
