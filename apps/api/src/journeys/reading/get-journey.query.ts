import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ukDateOf } from '../../../../../libs/domain/src/calendar/calendar-date';
import type { ReadStore } from '../../../../../libs/read-store/src/read-store.port';
import { journeyProjection } from '../../../../../projections/journeys/journey.projection';
import { journeysCollection } from './journeys-collection';
import { JourneyView, viewJourney } from '../../../../../projections/journeys/journey.view';
import type { AppConfig } from '../../config';
import { JourneyNotFound } from '../../errors';
import { APP_CONFIG, PROJECTOR, READ_STORE } from '../../infrastructure/tokens';
import { assertOnCaseload } from '../caseload';
import type { Actor } from '../recording/record-journey-step.command';
import { awaitProjection, ProjectionProgress } from './read-your-writes';

export class GetJourney {
  constructor(
    readonly journeyId: string,
    readonly actor: Actor,
    readonly minPosition?: bigint,
  ) {}
}

/**
 * One journey as its support worker sees it: the read model with today's waits. Personal
 * data is not part of it: it is read on its own, for a stated purpose and on the record
 * (GET /journeys/:id/personal-details).
 */
@QueryHandler(GetJourney)
export class GetJourneyHandler implements IQueryHandler<GetJourney, JourneyView> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PROJECTOR) private readonly progress: ProjectionProgress,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(query: GetJourney): Promise<JourneyView> {
    await awaitProjection(this.progress, journeyProjection.name, query.minPosition, this.config.readYourWritesTimeoutMs);
    const doc = await (await journeysCollection(this.readStore)).findOne({ _id: query.journeyId });
    if (!doc) throw new JourneyNotFound(query.journeyId);
    assertOnCaseload(query.actor, doc.organisationId, query.journeyId);
    return viewJourney(doc, ukDateOf(new Date().toISOString()));
  }
}
