import { randomUUID } from 'node:crypto';
import { describeOnEachEventStore } from '../support/event-store-backends';
import { useRunningApp } from '../support/running-app';
import { consent, decision, exit, identification, referral } from '../../seeds/journey-requests';

/**
 * Every invariant of DOMAIN.md, broken over HTTP: a 422 with the rule's stable code and a
 * sentence, and nothing appended (the event store's head does not move).
 */
describeOnEachEventStore('broken rules are refused with 422 and append nothing', (env) => {
  const app = useRunningApp(env);

  /** Records the given steps on a new journey and returns its id. */
  async function journeyWith(steps: Array<[string, unknown]>, identify = identification()): Promise<string> {
    const created = await app.api.post('/journeys', identify);
    expect(created.status).toBe(201);
    for (const [route, body] of steps) {
      const response = await app.api.post(`/journeys/${created.body.journeyId}/${route}`, body);
      expect([route, response.status, response.body]).toEqual([route, 201, expect.anything()]);
    }
    return created.body.journeyId;
  }

  async function expectRefused(path: string, body: unknown, code: string, status = 422) {
    const head = await app.api.head();
    const response = await app.api.post(path, body);
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(response.body.message).toEqual(expect.any(String));
    expect(response.body.stack).toBeUndefined();
    expect(await app.api.head()).toBe(head);
    return response;
  }

  const referred: Array<[string, unknown]> = [['consents', consent()], ['referrals', referral()]];

  it('1: identifies a journey once; nothing is recorded on an unknown journey (404)', async () => {
    const journeyId = randomUUID();
    expect((await app.api.post('/journeys', identification({ journeyId }))).status).toBe(201);
    await expectRefused('/journeys', identification({ journeyId }), 'JOURNEY_ALREADY_IDENTIFIED');
    await expectRefused(`/journeys/${randomUUID()}/consents`, consent(), 'JOURNEY_NOT_FOUND', 404);
  });

  it('2: an adult needs consent to be referred; otherwise only a Duty to Notify', async () => {
    const noConsent = await journeyWith([]);
    await expectRefused(`/journeys/${noConsent}/referrals`, referral(), 'CONSENT_REQUIRED_FOR_ADULT_REFERRAL');
    const refused = await journeyWith([['consents', consent(false)]]);
    await expectRefused(`/journeys/${refused}/referrals`, referral(), 'CONSENT_REQUIRED_FOR_ADULT_REFERRAL');
    const dtn = { occurredAt: '2024-01-09', policeForceArea: 'E23000001', exploitationTypes: ['labour'] };
    expect((await app.api.post(`/journeys/${refused}/duty-to-notify`, dtn)).status).toBe(201);
    const child = await journeyWith([], identification({ ageGroup: 'child' }));
    await expectRefused(`/journeys/${child}/duty-to-notify`, dtn, 'DUTY_TO_NOTIFY_NOT_FOR_CHILD');
    expect((await app.api.post(`/journeys/${child}/referrals`, referral())).status).toBe(201);
  });

  it('3: an RG decision needs an open referral, dated on or after it', async () => {
    const notReferred = await journeyWith([['consents', consent()]]);
    await expectRefused(`/journeys/${notReferred}/decisions`, decision('reasonable_grounds', 'positive', '2024-01-10'), 'REFERRAL_NOT_FOUND');
    const id = await journeyWith(referred);
    await expectRefused(`/journeys/${id}/decisions`, decision('reasonable_grounds', 'positive', '2024-01-08'), 'DATE_BEFORE_DEPENDENCY');
    const exited = await journeyWith([...referred, ['exit', exit('2024-01-10', 'withdrew')]]);
    await expectRefused(`/journeys/${exited}/decisions`, decision('reasonable_grounds', 'positive', '2024-01-11'), 'REASONABLE_GROUNDS_NEEDS_OPEN_REFERRAL');
  });

  it('4: a CG decision needs a positive RG and the end of the recovery period', async () => {
    const noRg = await journeyWith(referred);
    await expectRefused(`/journeys/${noRg}/decisions`, decision('conclusive_grounds', 'positive', '2024-06-01'), 'CONCLUSIVE_GROUNDS_WITHOUT_POSITIVE_REASONABLE_GROUNDS');
    const rg = await journeyWith([...referred, ['decisions', decision('reasonable_grounds', 'positive', '2024-01-16')]]);
    const early = await expectRefused(`/journeys/${rg}/decisions`, decision('conclusive_grounds', 'positive', '2024-02-14'), 'CONCLUSIVE_GROUNDS_BEFORE_RECOVERY_PERIOD');
    expect(early.body.message).toContain('2024-02-15');
    expect(early.body.field).toBe('decidedAt');
  });

  it('5: a second decision at a stage needs a reconsideration request', async () => {
    const id = await journeyWith([...referred, ['decisions', decision('reasonable_grounds', 'negative', '2024-03-01')]]);
    await expectRefused(`/journeys/${id}/decisions`, decision('reasonable_grounds', 'positive', '2024-03-05'), 'REASONABLE_GROUNDS_ALREADY_DECIDED');
    const journey = await app.api.get(`/journeys/${id}?minPosition=${await app.api.head()}`);
    const decisionEventId = journey.body.episodes[0].decisions[0].eventId;
    await expectRefused(`/journeys/${id}/reconsiderations`, { referralId: 'NRM-2024-0001', decisionEventId, requestedOn: '2024-04-01' }, 'RECONSIDERATION_WINDOW_CLOSED');
    const asked = await app.api.post(`/journeys/${id}/reconsiderations`, { referralId: 'NRM-2024-0001', decisionEventId, requestedOn: '2024-03-31' });
    expect(asked.status).toBe(201);
  });

  it('6: care, needs assessment and exit need an open episode; move-on needs a positive CG', async () => {
    const notReferred = await journeyWith([['consents', consent()]]);
    await expectRefused(`/journeys/${notReferred}/care`, { service: 'outreach', providerId: 'p-1', startedOn: '2024-01-10' }, 'NO_OPEN_EPISODE');
    await expectRefused(`/journeys/${notReferred}/needs-assessments`, { occurredAt: '2024-01-10', domains: [], riskLevel: 'low', dependants: 0 }, 'NO_OPEN_EPISODE');
    await expectRefused(`/journeys/${notReferred}/exit`, exit('2024-01-10', 'withdrew'), 'NO_OPEN_EPISODE');
    const id = await journeyWith(referred);
    await expectRefused(`/journeys/${id}/exit`, exit('2024-03-01'), 'MOVE_ON_WITHOUT_POSITIVE_CONCLUSIVE_GROUNDS');
  });

  it('7: follow-ups and re-referrals need an exit', async () => {
    const id = await journeyWith(referred);
    await expectRefused(`/journeys/${id}/follow-ups`, { occurredAt: '2024-03-01', monthsSinceExit: 1, contactMade: false }, 'FOLLOW_UP_WITHOUT_EXIT');
    await expectRefused(`/journeys/${id}/re-referrals`, { occurredAt: '2024-03-01', newReferralId: 'R-2', previousReferralId: 'NRM-2024-0001', sameIncident: true, competentAuthority: 'SCA' }, 'RE_REFERRAL_WITHOUT_EXIT');
  });

  it('8: dates are never in the future nor before what they depend on', async () => {
    await expectRefused('/journeys', identification({ occurredAt: '2099-01-01' }), 'DATE_IN_FUTURE');
    const id = await journeyWith(referred);
    await expectRefused(`/journeys/${id}/care`, { service: 'outreach', providerId: 'p-1', startedOn: '2024-01-02' }, 'DATE_BEFORE_DEPENDENCY');
  });
});
