import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/src/embedded/sqlite-event-store';
import { loadConfig } from '../../apps/api/src/config';
import { closeStores, openStores } from '../../apps/api/src/infrastructure/stores';
import { personalDataVault } from '../../apps/api/src/infrastructure/security';
import type { CliStores } from '../../apps/cli/src/cli-stores';
import { VerifyCommand } from '../../apps/cli/src/commands/verify.command';
import { consent, identification, referral } from '../../seeds/journey-requests';
import { useRunningApp } from '../support/running-app';

/**
 * Personal data end to end on the embedded default: sealed in every file, never in logs or
 * error bodies, read only on the record, erased for good while the history stays whole.
 */
const CANARY = 'Zqx-Canary-7f3e9b21';
const canaryForms = (value: string) => {
  const bytes = Buffer.from(value, 'utf8');
  return [value, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), bytes.toString('hex').toUpperCase(), Buffer.from(value, 'utf16le').toString('latin1')];
};
const withCanary = (tag: string) => identification({
  personalDetails: {
    name: `${CANARY} ${tag} Name`,
    dateOfBirth: '1990-01-01',
    contact: { phone: `${CANARY}-phone`, email: `${CANARY.toLowerCase()}@example.org`, address: `1 ${CANARY} Street` },
    notes: `Told us about ${CANARY} on the phone.`,
  },
});

/** The operator's `verify` (log well formed, every read model equal to a fresh recomputation), on a stopped app's data folder. */
async function verify(dataDir: string): Promise<{ ok: boolean }> {
  const config = loadConfig({ DATA_DIR: dataDir });
  const stores = await openStores(config);
  const printed: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: unknown) => (printed.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    const cliStores = { config, use: (work: (s: unknown) => Promise<unknown>) => work({ ...stores, vault: personalDataVault(config, stores.dataKeys) }) };
    await new VerifyCommand(cliStores as unknown as CliStores).run([], { json: true });
  } finally {
    process.stdout.write = write;
    await closeStores(stores);
  }
  const text = printed.join(''); // progress lines, then the pretty-printed result
  return JSON.parse(text.slice(text.lastIndexOf('{\n  "ok"')));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    // Regular files only: the running API's operator socket lives in the folder too.
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
  });
}

/** Every file under the data folder that holds any form of the canary, with the form found. */
function canaryFindings(dataDir: string): string[] {
  const forms = canaryForms(CANARY).map((f) => Buffer.from(f, 'latin1'));
  return filesUnder(dataDir).flatMap((file) => {
    const content = readFileSync(file);
    return forms.filter((form) => content.includes(form)).map((form) => `${file}: ${form.toString('latin1')}`);
  });
}

describe('personal data on the embedded default', () => {
  const logs: string[] = [];
  const writes = { out: process.stdout.write, err: process.stderr.write };
  beforeAll(() => {
    const capture = (chunk: unknown) => (logs.push(String(chunk)), true);
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
  });
  afterAll(() => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
  });
  const app = useRunningApp({ LOG_LEVEL: 'debug' });
  const auditor = () => app.as({ role: 'auditor', organisationId: 'inspectorate', userId: 'auditor-1' });
  const admin = () => app.as({ role: 'admin', organisationId: 'ops', userId: 'admin-1' });
  const analyst = () => app.as({ role: 'analyst', organisationId: 'home-office', userId: 'analyst-1' });
  const details = (id: string, purpose = 'case_management', api = app.api) => api.get(`/journeys/${id}/personal-details`, { 'x-purpose': purpose });

  it('seals personal data: no canary, nor its base64 or hex, in any file of the data folder, the logs or an error body', async () => {
    const created = await app.api.post('/journeys', withCanary('sealed'), { 'idempotency-key': 'canary-1' });
    expect(created.status).toBe(201);
    const retried = await app.api.post('/journeys', withCanary('sealed'), { 'idempotency-key': 'canary-1' });
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    const refused = await app.api.post('/journeys', { ...withCanary('refused'), gender: CANARY });
    expect(refused.status).toBe(400);
    const malformed = await app.api.post('/journeys', { ...withCanary('malformed'), personalDetails: { name: CANARY, dateOfBirth: CANARY } });
    expect(malformed.status).toBe(400);
    const history = await auditor().get(`/journeys/${created.body.journeyId}/history`);
    const identificationId = history.body.events[0].eventId;
    const corrected = await app.api.post(`/journeys/${created.body.journeyId}/corrections`, {
      correctedEventId: identificationId, changes: [{ field: 'personalDetails.notes', value: `Corrected: ${CANARY} again` }], reason: 'Notes mistyped',
    });
    expect(corrected.status).toBe(201);
    const refusedCorrection = await app.api.post(`/journeys/${created.body.journeyId}/corrections`, {
      correctedEventId: identificationId, changes: [{ field: 'personalDetails.dateOfBirth', value: CANARY }], reason: 'Typo',
    });
    expect(refusedCorrection.status).toBe(400);
    const read = await details(created.body.journeyId);
    expect(read.body.personalDetails).toMatchObject({ name: `${CANARY} sealed Name`, notes: `Corrected: ${CANARY} again` });
    expect((await app.api.get(`/journeys/${created.body.journeyId}?minPosition=${created.body.position}`)).body.personalData).toBe('held');

    expect(JSON.stringify(history.body)).not.toContain(CANARY);
    for (const body of [refused.body, malformed.body, refusedCorrection.body]) for (const form of canaryForms(CANARY)) expect(JSON.stringify(body)).not.toContain(form);
    expect(canaryFindings(app.app.dataDir)).toEqual([]);
    await app.restart(); // the stores close: WAL checkpoints fold into the main files
    expect(canaryFindings(app.app.dataDir)).toEqual([]);
    expect(logs.join('').length).toBeGreaterThan(0);
    for (const form of canaryForms(CANARY)) expect(logs.join('')).not.toContain(form);
  });

  it('records one access record per read of personal data, with who, role, purpose and time, and none for a refused read', async () => {
    const { body } = await app.api.post('/journeys', identification());
    const reads = [
      await app.api.get(`/journeys/${body.journeyId}/personal-details`, { 'x-purpose': 'case_management', 'x-correlation-id': 'read-1' }),
      await auditor().get(`/journeys/${body.journeyId}/personal-details`, { 'x-purpose': 'audit', 'x-correlation-id': 'read-2' }),
      await app.api.get(`/journeys/${body.journeyId}/personal-details`, { 'x-purpose': 'safeguarding', 'x-correlation-id': 'read-3' }),
    ];
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await app.api.get(`/journeys/${body.journeyId}/personal-details`)).body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'X-Purpose', rule: 'required' }] });
    expect((await details(body.journeyId, 'curiosity')).status).toBe(400);
    const stranger = app.as({ role: 'support_worker', organisationId: 'kent-police' });
    expect((await details(body.journeyId, 'case_management', stranger)).status).toBe(404);

    const records = await auditor().get(`/journeys/${body.journeyId}/access-records`);
    expect(records.body).toEqual(reads.map((read, i) => ({
      id: read.body.accessRecordId,
      journeyId: body.journeyId,
      accessedAt: expect.any(String),
      accessedBy: i === 1 ? { userId: 'auditor-1', role: 'auditor', organisationId: 'inspectorate' } : { userId: 'worker-7', role: 'support_worker', organisationId: 'met-police' },
      purpose: ['case_management', 'audit', 'safeguarding'][i],
      correlationId: `read-${i + 1}`,
      position: expect.stringMatching(/^\d+$/),
    })));
    expect(JSON.stringify(records.body)).not.toContain('Test Person');
  });

  it('erases: the key is destroyed, the history stays and still replays, read models and analytics keep every fact', async () => {
    const { body } = await app.api.post('/journeys', withCanary('erased'));
    const id = body.journeyId;
    await app.api.post(`/journeys/${id}/consents`, consent());
    const referred = await app.api.post(`/journeys/${id}/referrals`, referral());
    const before = (await app.api.get(`/journeys/${id}?minPosition=${referred.body.position}`)).body;
    const analyticsBefore = (await analyst().get('/analytics/journeys?pageSize=200')).body.items;
    expect(JSON.stringify(analyticsBefore)).not.toContain(CANARY);
    expect(JSON.stringify(analyticsBefore)).not.toContain(id);

    const erased = await admin().post(`/journeys/${id}/erasure`, { reason: 'DPO case 2026/117', legalBasis: 'consent_withdrawn' });
    expect(erased.status).toBe(201);
    expect((await admin().post(`/journeys/${id}/erasure`, { reason: 'again', legalBasis: 'consent_withdrawn' })).body.code).toBe('PERSONAL_DATA_ALREADY_ERASED');
    expect((await details(id)).body).toMatchObject({ status: 'erased', personalDetails: null, erasedOn: expect.any(String) });

    const after = (await app.api.get(`/journeys/${id}?minPosition=${erased.body.position}`)).body;
    const facts = (view: any) => ({ ...view, personalData: undefined, personalDataErasedOn: undefined, lastPosition: undefined, lastRevision: undefined, lastRecordedAt: undefined });
    expect(after).toMatchObject({ personalData: 'erased', personalDataErasedOn: expect.any(String) });
    expect(facts(after)).toEqual(facts(before));
    expect((await analyst().get('/analytics/journeys?pageSize=200')).body.items).toEqual(analyticsBefore);
    expect((await app.api.post(`/journeys/${id}/needs-assessments`, { occurredAt: '2024-01-12', domains: ['health'], riskLevel: 'low', dependants: 0 })).status).toBe(201);

    await app.app.stop(); // read the history itself: whole, sealed fields still there, never opened again
    const events = SqliteEventStore.open({ directory: app.app.dataDir });
    const history = await events.readStream(`journey-${id}`);
    await events.close();
    const verified = await verify(app.app.dataDir);
    await app.restart().catch(() => undefined);
    expect(verified).toMatchObject({ ok: true });
    expect(history.map((e) => e.type)).toEqual(['VictimIdentified', 'ConsentRecorded', 'VictimReferred', 'PersonalDataErased', 'NeedsAssessed']);
    expect(history[0].data.personalDetails).toMatchObject({ name: expect.stringMatching(/^pd1:/) });
    expect(history[3].data).toMatchObject({ reason: 'DPO case 2026/117', legalBasis: 'consent_withdrawn' });
    expect((await details(id)).body.status).toBe('erased');
  });

  it('re-applies erasures when an older key-store backup is restored', async () => {
    const { body } = await app.api.post('/journeys', withCanary('restored'));
    expect((await details(body.journeyId)).body.status).toBe('held');
    const keys = join(app.app.dataDir, 'keys');
    const backup = `${keys}.backup`;
    await app.app.stop();
    cpSync(keys, backup, { recursive: true });
    await app.restart().catch(() => undefined);
    expect((await admin().post(`/journeys/${body.journeyId}/erasure`, { reason: 'SAR-9', legalBasis: 'objection' })).status).toBe(201);

    await app.app.stop();
    rmSync(keys, { recursive: true, force: true });
    cpSync(backup, keys, { recursive: true }); // the backup still holds the journey's key
    rmSync(backup, { recursive: true, force: true });
    await app.restart().catch(() => undefined);
    expect((await details(body.journeyId)).body).toMatchObject({ status: 'erased', personalDetails: null });
    expect(logs.join('')).toMatch(/Re-applied 1 erasure/);
  });

  it('moves a journey between caseloads only by a transfer', async () => {
    const { body } = await app.api.post('/journeys', identification());
    const kent = app.as({ role: 'support_worker', organisationId: 'kent-police', userId: 'kent-1' });
    expect((await kent.get(`/journeys/${body.journeyId}`)).status).toBe(404);
    const moved = await app.api.post(`/journeys/${body.journeyId}/transfers`, { toOrganisationId: 'kent-police', reason: 'relocated' });
    expect(moved.status).toBe(201);
    expect((await app.api.post(`/journeys/${body.journeyId}/consents`, consent())).status).toBe(404);
    expect((await kent.post(`/journeys/${body.journeyId}/consents`, consent())).status).toBe(201);
    const listed = await kent.get(`/journeys?minPosition=${moved.body.position}`);
    expect(listed.body.items.map((j: any) => j.journeyId)).toContain(body.journeyId);
    expect((await app.api.get(`/journeys?minPosition=${moved.body.position}`)).body.items.map((j: any) => j.journeyId)).not.toContain(body.journeyId);
  });
});
