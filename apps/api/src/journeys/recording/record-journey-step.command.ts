import type { JourneyCommand } from '../../../../../libs/domain/src/journey/commands';
import type { IdempotencyClaim } from '../../../../../libs/event-store/src/event-store.port';

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
  constructor(
    readonly journeyId: string,
    readonly command: JourneyCommand,
    readonly actor: Actor,
    readonly correlationId: string,
    /** From If-Match: the revision the client last saw; the command fails with 409 if it moved. */
    readonly expectedRevision?: bigint,
    readonly idempotency?: IdempotencyClaim,
  ) {}
}

/** What a recorded step returns to the client. */
export interface JourneyStepRecorded {
  journeyId: string;
  revision: bigint;
  position: bigint;
  /** True when an Idempotency-Key retry returned the original result and appended nothing. */
  replayed: boolean;
}
