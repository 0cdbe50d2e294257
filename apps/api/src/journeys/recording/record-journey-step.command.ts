import type { JourneyCommand } from '../../../../../libs/domain/src/journey/commands';
import { randomUUID } from 'node:crypto';
import type { IdempotencyClaim } from '../../../../../libs/event-store/src/event-store.port';
import { uuidFrom } from './journey-stream';

/** Who is recording. Until authentication lands (issue 6) it comes from request headers. */
export interface Actor {
  userId: string;
  role: string;
  organisationId: string;
}

/**
 * Record one step of a journey. One command class carries every step: the domain command
 * inside says which, and the decider decides; so there is one handler and one shape.
 */
export class RecordJourneyStep {
  /**
   * The id its events carry (and the request's log line). With an Idempotency-Key, a retried
   * request is the same command, with the same id and so the same event ids; else a new one.
   */
  readonly commandId: string;

  constructor(
    readonly journeyId: string,
    readonly command: JourneyCommand,
    readonly actor: Actor,
    readonly correlationId: string,
    /** From If-Match: the revision the client last saw; the command fails with 409 if it moved. */
    readonly expectedRevision?: bigint,
    readonly idempotency?: IdempotencyClaim,
  ) {
    this.commandId = idempotency ? uuidFrom(`idempotency-key/${idempotency.key}`) : randomUUID();
  }
}

/** What a recorded step returns to the client. */
export interface JourneyStepRecorded {
  journeyId: string;
  revision: bigint;
  position: bigint;
  /** True when an Idempotency-Key retry returned the original result and appended nothing. */
  replayed: boolean;
}
