import { Command, CommandRunner, Option } from 'nest-commander';
import { ukDateOf } from '../../../../libs/domain/src/calendar/calendar-date';
import { journeyStreamId } from '../../../../libs/domain/src/events';
import { journeyProjection } from '../../../../projections/journeys/journey.projection';
import { foldDocument, type ProjectedEvent } from '../../../../projections/projection';
import type { JourneyDocument } from '../../../../projections/journeys/journey.document';
import { statusOf } from '../../../../projections/journeys/journey.view';
import { toProjectedEvent } from '../../../projector/src/projected-events';
import { CliStores, report } from '../cli-stores';

/** `replay <journeyId>`: the journey's history, event by event, with the state after each. */
@Command({ name: 'replay', arguments: '<journeyId>', description: 'Print a journey’s history and its state after each event' })
export class ReplayCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run([journeyId]: string[], options: { json?: boolean }): Promise<void> {
    await this.stores.use(async ({ events }) => {
      const stored = await events.readStream(journeyStreamId(journeyId));
      if (stored.length === 0) throw new Error(`There is no journey ${journeyId}.`);
      const projected = stored.map(toProjectedEvent);
      const known = projected.filter((e): e is ProjectedEvent => e !== undefined);
      const states = foldDocument<JourneyDocument>(journeyProjection, known);
      let state: JourneyDocument | null = null;
      let applied = 0;
      const steps = stored.map((e, i) => {
        if (projected[i]) state = states[applied++];
        const doc = state as JourneyDocument | null;
        return {
          revision: e.revision.toString(), position: e.position.toString(), type: e.type, id: e.id,
          occurredAt: e.data.occurredAt, recordedAt: e.metadata.recordedAt, recordedBy: e.metadata.recordedBy,
          state: doc && { stage: doc.stage, status: statusOf(doc, ukDateOf(e.metadata.recordedAt)), currentReferralId: doc.currentReferralId, episodes: doc.episodes.length, awaiting: doc.awaiting },
        };
      });
      report(!!options.json, { journeyId, events: steps }, () => steps.map((s) =>
        `#${s.revision} @${s.position} ${s.type.padEnd(24)} occurred ${s.occurredAt}, recorded ${s.recordedAt} by ${s.recordedBy.userId} (${s.recordedBy.role}, ${s.recordedBy.organisationId})\n` +
        `      -> ${s.state ? `${s.state.status}${s.state.awaiting ? `, awaiting ${s.state.awaiting}` : ''}, ${s.state.episodes} episode(s)` : 'no state'}`));
    });
  }

  @Option({ flags: '--json', description: 'Machine-readable output' })
  parseJson(): boolean {
    return true;
  }
}
