import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { journeyIdOfStream, journeyStreamId } from '../../../../../libs/domain/src/events';
import { decide } from '../../../../../libs/domain/src/journey/decide';
import { foldJourney } from '../../../../../libs/domain/src/journey/decider';
import { IdempotencyKeyAlreadyUsedError, IdempotencyKeyReusedError, WrongExpectedRevisionError } from '../../../../../libs/event-store/src/errors';
import type { AppendResult, EventStore, IdempotencyClaim } from '../../../../../libs/event-store/src/event-store.port';
import type { AppConfig } from '../../config';
import { ConcurrencyConflict, IdempotencyKeyReused, JourneyNotFound } from '../../errors';
import { APP_CONFIG, EVENT_STORE, PERSONAL_DATA_VAULT } from '../../infrastructure/tokens';
import type { PersonalDataVault } from '../../../../../libs/personal-data/src/personal-data-vault';
import { assertOnCaseload } from '../caseload';
import { checkCorrectedValues } from './corrected-values';
import { sealPersonalData } from './personal-data-sealing';
import { toEventsToAppend, toRecordedJourneyEvents } from './journey-stream';
import { JourneyStepRecorded, RecordJourneyStep } from './record-journey-step.command';
import { observeCommand } from '../../operations/metrics-commands';
import { metricsOf } from '../../operations/metrics-registry';
import { inSpan } from '../../operations/tracing';

/**
 * Load the journey, fold it, check it is on the caller's caseload, decide, seal the personal
 * data, append with the expected revision. Nothing else.
 */
@CommandHandler(RecordJourneyStep)
export class RecordJourneyStepHandler implements ICommandHandler<RecordJourneyStep, JourneyStepRecorded> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  /** Counted by type and outcome, and traced (spans load, decide, seal, append) when tracing is on. */
  execute(step: RecordJourneyStep): Promise<JourneyStepRecorded> {
    return observeCommand(step, metricsOf(this.config), () => this.record(step));
  }

  private async record(step: RecordJourneyStep): Promise<JourneyStepRecorded> {
    const { commandId } = step;
    const earlier = await this.earlierResult(step.idempotency);
    if (earlier) return earlier;
    const streamId = journeyStreamId(step.journeyId);
    for (let attempt = 0; ; attempt++) {
      const stored = await inSpan('load', () => this.store.readStream(streamId));
      const revision = stored.length ? stored[stored.length - 1].revision : undefined;
      if (step.expectedRevision !== undefined && step.expectedRevision !== revision) {
        throw new ConcurrencyConflict(step.journeyId, step.expectedRevision, revision);
      }
      if (revision === undefined && step.command.type !== 'IdentifyVictim') throw new JourneyNotFound(step.journeyId);
      const decided = await inSpan('decide', async () => {
        const state = foldJourney(toRecordedJourneyEvents(stored));
        if (revision !== undefined) assertOnCaseload(step.actor, state.caseloadOrganisationId, step.journeyId);
        checkCorrectedValues(step.command, state);
        return decide(step.command, state);
      });
      const events = await inSpan('seal', () => sealPersonalData(this.vault, step.journeyId, decided));
      try {
        const appended = await inSpan('append', () => this.store.append(streamId, toEventsToAppend(events, step, commandId), revision ?? 'no_stream', step.idempotency), { 'vjt.events': events.length });
        return recorded(step.journeyId, appended, false);
      } catch (error) {
        const retry = await this.afterFailedAppend(error, step, attempt);
        if (retry !== 'retry') return retry;
        await jitter(attempt);
      }
    }
  }

  /** A retry with a used Idempotency-Key gets the original result; another request with it gets 422. */
  private async earlierResult(claim: IdempotencyClaim | undefined): Promise<JourneyStepRecorded | undefined> {
    if (!claim) return undefined;
    const record = await this.store.findIdempotencyRecord(claim.key);
    if (!record) return undefined;
    if (record.requestHash !== claim.requestHash) throw new IdempotencyKeyReused(claim.key);
    return recorded(journeyIdOfStream(record.streamId), record, true);
  }

  /**
   * An append lost a race. A concurrent request with the same Idempotency-Key may have won:
   * then its result is ours. Otherwise a conditional command reports the conflict, and an
   * unconditional one decides again on the newer journey, a bounded number of times.
   */
  private async afterFailedAppend(error: unknown, step: RecordJourneyStep, attempt: number): Promise<JourneyStepRecorded | 'retry'> {
    if (error instanceof IdempotencyKeyAlreadyUsedError) return recorded(journeyIdOfStream(error.original.streamId), error.original, true);
    if (error instanceof IdempotencyKeyReusedError) throw new IdempotencyKeyReused(error.key);
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    const earlier = await this.earlierResult(step.idempotency);
    if (earlier) return earlier;
    const actual = error.actual === 'no_stream' ? undefined : error.actual;
    if (step.expectedRevision !== undefined || attempt >= this.config.commandConflictRetries) {
      throw new ConcurrencyConflict(step.journeyId, step.expectedRevision, actual);
    }
    return 'retry';
  }
}

function recorded(journeyId: string, result: AppendResult, replayed: boolean): JourneyStepRecorded {
  return { journeyId, revision: result.nextExpectedRevision, position: result.position, replayed };
}

/** A short random pause before deciding again, so that writers who lost the same race spread out. */
function jitter(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
}
