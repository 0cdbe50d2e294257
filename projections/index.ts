import { analyticsProjection } from './analytics/analytics.projection';
import { journeyProjection } from './journeys/journey.projection';
import type { DocumentProjection } from './projection';

/** Every projection the projector runs. */
export const ALL_PROJECTIONS: ReadonlyArray<DocumentProjection<any>> = [journeyProjection, analyticsProjection];

export * from './projection';
export * from './journeys/journey.document';
export * from './journeys/journey.projection';
export * from './journeys/journey.view';
