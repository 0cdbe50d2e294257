import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, type StopTracing } from '../../apps/api/src/operations/tracing';
import { identification } from '../../seeds/journey-requests';
import { useRunningApp } from '../support/running-app';

/** Personal details no span may ever carry. */
const CANARY = 'Canary-Tracing-7Qz';

describe('tracing a command from HTTP to the append and into each projection', () => {
  const exporter = new InMemorySpanExporter();
  let stopTracing: StopTracing;
  beforeAll(() => {
    stopTracing = startTracing({ tracing: 'otlp' }, { exporter }); // the exporter stands in for the collector
  });
  const app = useRunningApp();
  afterAll(async () => stopTracing());

  let journeyId: string;
  let spans: ReadableSpan[];
  const named = (name: string) => spans.filter((s) => s.name === name);
  const childrenOf = (parent: ReadableSpan) => spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

  beforeAll(async () => {
    exporter.reset();
    const created = await app.api.post('/journeys', identification({
      personalDetails: { name: CANARY, dateOfBirth: '1995-03-02', contact: { phone: '07700900123', email: `${CANARY}@example.org` }, notes: `Met ${CANARY} at a car wash.` },
    }), { 'x-correlation-id': 'trace-test-correlation' });
    expect(created.status).toBe(201);
    journeyId = created.body.journeyId;
    // The read model has applied the command once this answers: its batch spans have ended.
    expect((await app.api.get(`/journeys/${journeyId}?minPosition=${created.body.position}`)).status).toBe(200);
    const analyticsDone = () => exporter.getFinishedSpans().some((s) => s.name === 'project analytics');
    for (let i = 0; i < 50 && !analyticsDone(); i++) await new Promise((r) => setTimeout(r, 20));
    spans = exporter.getFinishedSpans();
  });

  it('records a server span per request, named by route template, with the command span as its child', async () => {
    const [http] = named('POST /journeys');
    expect(http.kind).toBe(SpanKind.SERVER);
    expect(http.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/journeys', 'http.response.status_code': 201 });
    const [command] = named('command IdentifyVictim');
    expect(command.parentSpanContext?.spanId).toBe(http.spanContext().spanId);
    expect(command.spanContext().traceId).toBe(http.spanContext().traceId);
    expect(named('GET /journeys/:id')).toHaveLength(1);
  });

  it('gives the command span its type, command id and correlation id, and load, decide, seal and append children', async () => {
    const [command] = named('command IdentifyVictim');
    const history = await app.api.get(`/journeys/${journeyId}/history`);
    expect(command.attributes).toEqual({
      'vjt.command.type': 'IdentifyVictim', 'vjt.command.id': history.body.events[0].commandId,
      'vjt.correlation_id': 'trace-test-correlation', 'vjt.command.outcome': 'recorded',
    });
    expect(childrenOf(command).map((s) => s.name)).toEqual(['load', 'decide', 'seal', 'append']);
    expect(named('append')[0].attributes).toEqual({ 'vjt.events': 1 });
  });

  it('carries the command id into a batch span of each projection', () => {
    const commandId = named('command IdentifyVictim')[0].attributes['vjt.command.id'];
    for (const projection of ['journeys', 'analytics']) {
      const batches = named(`project ${projection}`).filter((s) => (s.attributes['vjt.command.ids'] as string[]).includes(commandId as string));
      expect({ projection, batches: batches.length }).toEqual({ projection, batches: 1 });
      expect(batches[0].attributes).toMatchObject({ 'vjt.projection': projection, 'vjt.events': 1, 'vjt.correlation_ids': ['trace-test-correlation'] });
      expect(batches[0].parentSpanContext).toBeUndefined(); // a trace of its own, found by the command id
    }
  });

  it('puts no personal data, and no journey id, in any span', () => {
    expect(spans.length).toBeGreaterThan(8);
    const recorded = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links })));
    expect(recorded).not.toContain(CANARY);
    expect(recorded).not.toContain('07700900123');
    expect(recorded).not.toContain(journeyId);
  });

  it('marks a refused command by its outcome, without failing its span or quoting its message', async () => {
    exporter.reset();
    const refused = await app.api.post(`/journeys/${journeyId}/referrals`, { occurredAt: '2024-01-09', referralId: 'NRM-1', competentAuthority: 'SCA', supportRequested: true });
    expect(refused.status).toBe(422);
    const command = exporter.getFinishedSpans().find((s) => s.name === 'command ReferVictim')!;
    expect(command.attributes['vjt.command.outcome']).toBe('rejected');
    expect(command.status.code).toBe(0); // UNSET: a refusal is an answer, not a fault
    const decide = exporter.getFinishedSpans().find((s) => s.name === 'decide' && s.parentSpanContext?.spanId === command.spanContext().spanId)!;
    expect(decide.attributes).toEqual({ 'error.type': 'CONSENT_REQUIRED_FOR_ADULT_REFERRAL' });
    expect(JSON.stringify(exporter.getFinishedSpans().map((s) => [s.attributes, s.status]))).not.toContain(journeyId);
  });
});
