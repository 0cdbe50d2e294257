import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidFrom } from '../../apps/api/src/journeys/recording/journey-stream';
import { toProjectedEvent } from '../../apps/projector/src/projected-events';
import { ERASURE_LEGAL_BASES, GENDERS, HOUSING, RISK_LEVELS, TRANSFER_REASONS } from '../../libs/domain/src/codes';
import { journeyStreamId, type JourneyEventType, type RecordedJourneyEvent } from '../../libs/domain/src/events';
import type { JourneyCommand } from '../../libs/domain/src/journey/commands';
import type { JourneyFact } from '../../libs/domain/src/journey/corrections';
import { decide } from '../../libs/domain/src/journey/decide';
import { foldJourney } from '../../libs/domain/src/journey/decider';
import { JourneyRuleBroken } from '../../libs/domain/src/rules';
import { CURRENT_SCHEMA_VERSION } from '../../libs/domain/src/upcasting';
import { SqliteEventStore } from '../../libs/event-store/src/embedded/sqlite-event-store';
import type { StoredEvent } from '../../libs/event-store/src/event-store.port';
import { SqliteDataKeyStore } from '../../libs/personal-data/src/embedded/sqlite-data-key-store';
import { KeyEncryptionKeys } from '../../libs/personal-data/src/key-encryption-keys';
import { PersonalDataVault } from '../../libs/personal-data/src/personal-data-vault';
import { seedEventStore } from '../../seeds/seed-event-store';
import { Random } from '../../seeds/random';

/**
 * A realistic event log for resilience tests: the seed generator's journeys (published NRM
 * distributions, every step decided by the domain, personal details sealed by a vault), then,
 * in later rounds interleaved across journeys, what the generator never writes: corrections
 * (a decision overturned or re-dated, a gender, a care cost, a risk level ...), transfers to
 * another caseload and erasures. Every later event is decided by the domain's own `decide`
 * on the journey's folded state, so a refused one is simply not recorded.
 */
export interface RealisticLog {
  directory: string;
  store: SqliteEventStore;
  events: StoredEvent[];
  head: bigint;
  /** How many of each later kind were recorded. */
  added: Record<'RecordCorrected' | 'JourneyTransferred' | 'PersonalDataErased', number>;
  close(): Promise<void>;
}

const NOW = '2026-11-20T12:00:00.000Z';
const TODAY = '2026-11-20';

export async function openRealisticLog(options: { journeys: number; seed: number; rounds?: number }): Promise<RealisticLog> {
  // In memory where the machine has a tmpfs: these tests are about order, not about the disk.
  const directory = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vjt-resilience-log-'));
  const store = SqliteEventStore.open({ directory });
  const keys = SqliteDataKeyStore.open({ dataDir: directory });
  const vault = new PersonalDataVault({ store: keys, keks: KeyEncryptionKeys.from({ current: randomBytes(32) }) });
  await seedEventStore(store, vault, { journeys: options.journeys, seed: options.seed });

  const rng = Random.from(`resilience-log:${options.seed}`);
  const added: RealisticLog['added'] = { RecordCorrected: 0, JourneyTransferred: 0, PersonalDataErased: 0 };
  const streams = new Set<string>();
  for await (const event of store.readAll()) streams.add(event.streamId);
  const journeys = [...streams];
  let counter = 0;
  for (let round = 0; round < (options.rounds ?? 3); round++) {
    // A round: some journeys each get one later event, in a random order, all appended in one turn.
    const chosen = rng.sample(journeys, Math.max(1, Math.round(journeys.length * 0.3)));
    const appends = await Promise.all(chosen.map(async (streamId) => {
      const stored = await store.readStream(streamId);
      const facts = stored.map((e) => toProjectedEvent(e)!) as unknown as RecordedJourneyEvent[];
      const next = laterEvent(rng, foldJourney(facts), facts);
      if (!next) return undefined;
      const id = uuidFrom(`resilience-log:${options.seed}/${streamId}/${counter++}`);
      return { streamId, revision: stored[stored.length - 1].revision, event: { id, ...next } };
    }));
    await Promise.all(appends.flatMap((a) => (a ? [a] : [])).map(async ({ streamId, revision, event }) => {
      await store.append(streamId, [{
        id: event.id, type: event.type, data: event.data as unknown as Record<string, unknown>,
        metadata: {
          recordedAt: NOW,
          recordedBy: event.type === 'RecordCorrected'
            ? { userId: 'auditor-1', role: 'auditor', organisationId: 'nrm-audit' }
            : { userId: 'admin-1', role: 'admin', organisationId: 'nrm-admin' },
          commandId: event.id, correlationId: event.id, schemaVersion: CURRENT_SCHEMA_VERSION[event.type as JourneyEventType],
        },
      }], revision);
      added[event.type as keyof RealisticLog['added']]++;
    }));
  }

  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return {
    directory, store, events, head: events[events.length - 1].position, added,
    async close() {
      await store.close();
      await keys.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

type Decided = { type: string; data: object };

/** One later event for a journey: a correction (most often), a transfer or an erasure; undefined if the domain refuses all tried. */
function laterEvent(rng: Random, state: ReturnType<typeof foldJourney>, history: readonly RecordedJourneyEvent[]): Decided | undefined {
  const tries: JourneyCommand[] = [];
  const kind = rng.weighted({ correction: 5, transfer: 2, erasure: 2 });
  if (kind === 'transfer') {
    tries.push({ type: 'TransferJourney', data: { occurredAt: TODAY, toOrganisationId: `transfer-org-${rng.int(1, 4)}`, reason: rng.pick(TRANSFER_REASONS) }, now: NOW } as JourneyCommand);
  } else if (kind === 'erasure') {
    tries.push({ type: 'ErasePersonalData', data: { occurredAt: TODAY, reason: 'DPO-REQ-1', legalBasis: rng.pick(ERASURE_LEGAL_BASES) }, now: NOW } as JourneyCommand);
  }
  const candidates = correctionCandidates(rng, history.filter((e) => e.type !== 'RecordCorrected') as JourneyFact[]);
  for (const { correctedEventId, changes } of rng.sample(candidates, Math.min(4, candidates.length))) {
    tries.push({ type: 'CorrectRecord', data: { occurredAt: TODAY, correctedEventId, changes, reason: 'Letter received: recorded wrongly' }, now: NOW } as JourneyCommand);
  }
  for (const command of tries) {
    try {
      const [event] = decide(command, state);
      return event;
    } catch (error) {
      if (!(error instanceof JourneyRuleBroken)) throw error;
    }
  }
  return undefined;
}

function correctionCandidates(rng: Random, facts: readonly JourneyFact[]): Array<{ correctedEventId: string; changes: Array<{ field: string; value: unknown }> }> {
  const other = <T>(values: readonly T[], current: unknown) => rng.pick(values.filter((v) => v !== current));
  return facts.flatMap((fact) => {
    const change = (field: string, value: unknown) => [{ correctedEventId: fact.id, changes: [{ field, value }] }];
    switch (fact.type) {
      case 'VictimIdentified':
        return change('gender', other(GENDERS, fact.data.gender));
      case 'DecisionMade':
        return [
          ...change('outcome', fact.data.outcome === 'positive' ? 'negative' : 'positive'),
          ...change('decidedAt', shiftDate(fact.data.decidedAt, rng.int(-3, 3) || 1)),
        ];
      case 'CareProvided':
        return change('costPence', (fact.data.costPence ?? 0) + rng.int(1, 500) * 100);
      case 'NeedsAssessed':
        return change('riskLevel', other(RISK_LEVELS, fact.data.riskLevel));
      case 'VictimExited':
        return change('housing', other(HOUSING, fact.data.housing));
      default:
        return [];
    }
  });
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
