import { journeyProjection } from './journeys/journey.projection';
import type { DocumentProjection } from './projection';

/** Every projection the projector runs. */
export const ALL_PROJECTIONS: ReadonlyArray<DocumentProjection<any>> = [journeyProjection];

export * from './projection';
export * from './journeys/journey.document';
export * from './journeys/journey.projection';
export * from './journeys/journey.view';
