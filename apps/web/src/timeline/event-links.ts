import type { DecisionView, EpisodeView, HistoryEvent } from './api-types';

/** How events relate on a timeline: corrections to what they correct, decision events to the read model's decisions (shared by the auditor's timeline and the support workers' journey page). */

/** The corrections of each event: the history's correctedBy, and every RecordCorrected that names it. */
export function correctionsByEvent(events: readonly HistoryEvent[]): Map<string, HistoryEvent[]> {
  const byId = new Map(events.map((event) => [event.eventId, event]));
  const corrections = new Map<string, Set<string>>();
  const add = (target: string, correction: string) => corrections.set(target, (corrections.get(target) ?? new Set()).add(correction));
  for (const event of events) {
    for (const id of event.correctedBy ?? []) add(event.eventId, id);
    if (event.type === 'RecordCorrected' && typeof event.data.correctedEventId === 'string') add(event.data.correctedEventId, event.eventId);
  }
  const out = new Map<string, HistoryEvent[]>();
  for (const [target, ids] of corrections) {
    out.set(target, [...ids].map((id) => byId.get(id)).filter((e): e is HistoryEvent => !!e).sort((a, b) => a.revision - b.revision));
  }
  return out;
}

export function decisionsByEvent(episodes: readonly EpisodeView[] | undefined): Map<string, { decision: DecisionView; episode: EpisodeView }> {
  const out = new Map<string, { decision: DecisionView; episode: EpisodeView }>();
  for (const episode of episodes ?? []) for (const decision of episode.decisions ?? []) out.set(decision.eventId, { decision, episode });
  return out;
}
