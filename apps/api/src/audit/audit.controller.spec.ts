import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LedgerKeeper } from '../../../../libs/audit/src/ledger-keeper';
import { verifyEvidenceBundle } from '../../../../libs/audit/src/verify-bundle';
import { client, SUPPORT_WORKER, temporaryDataDir, tokenFor, type TestUser } from '../../../../test/support/running-app';
import { identification } from '../../../../seeds/journey-requests';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { ErrorFilter } from '../http/error.filter';
import { StrictValidationPipe } from '../http/validation.pipe';
import { openStores, type Stores } from '../infrastructure/stores';
import { AuditController } from './audit.controller';
import { auditKeeperOptions, auditSigningKey } from './audit-keys';

const AUDITOR: TestUser = { role: 'auditor', organisationId: 'audit-office', userId: 'auditor-1' };
const ADMIN: TestUser = { role: 'admin', organisationId: 'ops', userId: 'admin-1' };
const ANALYST: TestUser = { role: 'analyst', organisationId: 'stats', userId: 'analyst-1' };

/**
 * The audit routes over HTTP, with the guard, validation and error filter of the real app.
 * (Until app.module.ts registers AuditController, this test adds it beside AppModule. It runs a
 * ledger keeper of its own, which ledgers idempotently beside the app's if the app runs one.)
 */
describe('audit routes', () => {
  const data = temporaryDataDir();
  const config = loadConfig({ DATA_DIR: data.dir, LOG_LEVEL: 'error' });
  let app: NestFastifyApplication;
  let stores: Stores;
  let keeper: LedgerKeeper;
  let url: string;
  const as = (user: TestUser) => client(url, tokenFor(data.dir, user));
  let journeyId: string;

  beforeAll(async () => {
    stores = await openStores(config);
    const root = AppModule.forRoot(config, stores);
    @Module({ imports: [root], controllers: root.controllers?.includes(AuditController) ? [] : [AuditController] })
    class WithAudit {}
    app = await NestFactory.create<NestFastifyApplication>(WithAudit, new FastifyAdapter(), { logger: ['error'] });
    app.useGlobalPipes(new StrictValidationPipe());
    app.useGlobalFilters(new ErrorFilter());
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    keeper = new LedgerKeeper(stores.events, stores.readStore, { ...auditKeeperOptions(config), headIntervalMs: 0 });
    await keeper.start();
    const created = await as(SUPPORT_WORKER).post('/journeys', identification());
    expect(created.status).toBe(201);
    journeyId = created.body.journeyId;
  });

  afterAll(async () => {
    await keeper.stop();
    await app.close();
    data.remove();
  });

  it('lets auditors (and admins) sign a head now; nobody else', async () => {
    await waitForLedger();
    const signed = await as(AUDITOR).post('/audit/heads', {});
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({ position: expect.stringMatching(/^\d+$/), globalHash: expect.stringMatching(/^[0-9a-f]{64}$/), keyId: auditSigningKey(config).keyId });
    expect((await as(ADMIN).post('/audit/heads', {})).status).toBe(201);
    expect((await as(SUPPORT_WORKER).post('/audit/heads', {})).status).toBe(403);
    expect((await as(ANALYST).post('/audit/heads', {})).status).toBe(403);
  });

  it('lists heads newest first, with the public key, in pages', async () => {
    const listed = await as(AUDITOR).get('/audit/heads?pageSize=1');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ page: 1, pageSize: 1, total: 2, publicKey: { keyId: auditSigningKey(config).keyId, pem: expect.stringContaining('BEGIN PUBLIC KEY'), jwk: { kty: 'OKP', crv: 'Ed25519' } } });
    const [newest] = listed.body.heads;
    const all = (await as(AUDITOR).get('/audit/heads')).body.heads;
    expect(all[0]).toEqual(newest);
    expect(all[0].time >= all[1].time).toBe(true);
    expect((await as(AUDITOR).get('/audit/heads?pageSize=100000')).status).toBe(400);
    expect((await as(ADMIN).get('/audit/heads')).status).toBe(403);
  });

  it('verifies the log, or a range of it', async () => {
    await waitForLedger();
    const whole = await as(AUDITOR).get('/audit/verify');
    expect(whole.status).toBe(200);
    expect(whole.body).toMatchObject({ ok: true, complete: true, headsVerified: 2, alarms: 0 });
    expect(whole.body.eventsVerified).toBeGreaterThanOrEqual(3); // the identification, then two heads
    expect((await as(AUDITOR).get('/audit/verify?from=1&to=1')).body).toMatchObject({ ok: true, eventsVerified: 1 });
    expect((await as(AUDITOR).get('/audit/verify?from=2&to=1')).status).toBe(400);
    expect((await as(AUDITOR).get('/audit/verify?from=abc')).status).toBe(400);
    expect((await as(AUDITOR).get('/audit/verify?from=99999')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await as(SUPPORT_WORKER).get('/audit/verify')).status).toBe(403);
  });

  it('hands auditors a journey\u2019s evidence bundle, which verify-bundle accepts against the key', async () => {
    const evidence = await as(AUDITOR).get(`/journeys/${journeyId}/evidence`);
    expect(evidence.status).toBe(200);
    expect(evidence.headers.get('cache-control')).toBe('no-store');
    expect(evidence.body.statement).toMatchObject({ streamId: `journey-${journeyId}`, revision: '0' });
    expect(JSON.stringify(evidence.body)).not.toContain('Test Person'); // personal data travels sealed
    expect(verifyEvidenceBundle(evidence.body, auditSigningKey(config).publicKey)).toMatchObject({ ok: true, keyMatchesTrusted: true });
    expect((await as(AUDITOR).get('/journeys/00000000-0000-4000-8000-000000000000/evidence')).status).toBe(404);
    expect((await as(SUPPORT_WORKER).get(`/journeys/${journeyId}/evidence`)).status).toBe(403);
  });

  async function waitForLedger(): Promise<void> {
    const head = await stores.events.headPosition();
    while (keeper.status().position !== head?.toString()) await new Promise((r) => setTimeout(r, 10));
  }
});
