import type { EpisodeView, JourneyDocument } from '../../journeys/journey.document';
import type { Cell } from '../cells';
import { dimensionsOf } from '../dimensions';

export const FLOW = 'flow';

/**
 * The stages a journey can reach, in the order the flow runs: the nodes of the journey-flow
 * (Sankey) diagram. Each journey passes through exactly one node of each layer it reaches.
 */
export const FLOW_NODES = [
  { id: 'identified', label: 'Identified' },
  { id: 'referred', label: 'Referred to the NRM' },
  { id: 'duty_to_notify', label: 'Duty to Notify only' },
  { id: 'not_referred', label: 'Not referred' },
  { id: 'rg_positive', label: 'Positive RG' },
  { id: 'rg_negative', label: 'Negative RG' },
  { id: 'rg_pending', label: 'No RG decision yet' },
  { id: 'cg_positive', label: 'Positive CG' },
  { id: 'cg_negative', label: 'Negative CG' },
  { id: 'cg_pending', label: 'No CG decision yet' },
  { id: 'exited', label: 'Exited support' },
  { id: 'in_support', label: 'Still in support' },
  { id: 'contacted', label: 'Contact after exit' },
  { id: 'not_contacted', label: 'No contact after exit' },
  { id: 're_referred', label: 'Re-referred' },
  { id: 'not_re_referred', label: 'Not re-referred' },
] as const;
export type FlowNode = (typeof FLOW_NODES)[number]['id'];

/** The counter of journeys that reached a node (`journeys` for every journey identified). */
export function nodeCounter(node: FlowNode): string {
  return node === 'identified' ? 'journeys' : `node.${node}`;
}

/** The counter of journeys that went from one node to the next. */
export function linkCounter(source: FlowNode, target: FlowNode): string {
  return `flow.${source}.${target}`;
}

const DECIDED_OR_WAITING: FlowNode[] = ['rg_negative', 'rg_pending', 'cg_positive', 'cg_negative', 'cg_pending'];

/** Every link the diagram can have, source layer by layer. */
export const FLOW_LINKS: ReadonlyArray<{ source: FlowNode; target: FlowNode }> = [
  ...(['referred', 'duty_to_notify', 'not_referred'] as const).map((target) => ({ source: 'identified' as const, target })),
  ...(['rg_positive', 'rg_negative', 'rg_pending'] as const).map((target) => ({ source: 'referred' as const, target })),
  ...(['cg_positive', 'cg_negative', 'cg_pending'] as const).map((target) => ({ source: 'rg_positive' as const, target })),
  ...DECIDED_OR_WAITING.flatMap((source) => (['exited', 'in_support'] as const).map((target) => ({ source, target }))),
  ...(['contacted', 'not_contacted'] as const).map((target) => ({ source: 'exited' as const, target })),
  ...(['contacted', 'not_contacted'] as const).flatMap((source) => (['re_referred', 'not_re_referred'] as const).map((target) => ({ source, target }))),
];

/**
 * Journey flow (the dashboard's Sankey): one cell per journey, dated on its identification
 * (an identification cohort), under the journey's dimensions and its first referral's
 * competent authority. `journeys: 1`, `node.<stage>: 1` for each stage it reached and
 * `flow.<from>.<to>: 1` for each step between them, on the path:
 *
 *   identified → referred | duty_to_notify (an anonymous notification, no referral) | not_referred
 *   referred → rg_positive | rg_negative | rg_pending      (the first referral's RG in force)
 *   rg_positive → cg_positive | cg_negative | cg_pending   (its CG)
 *   the last decision stage → exited | in_support           (its exit)
 *   exited → contacted | not_contacted                      (any follow-up of that exit made contact)
 *   contacted | not_contacted → re_referred | not_re_referred (referred again after that exit)
 *
 * Every journey follows one path, so each node's journeys equal the sum of its incoming
 * links and of its outgoing ones; the report protects those sums from differencing.
 * A decision in force is the latest (a reconsideration can overturn a negative one).
 */
export function flowCells(doc: JourneyDocument): Cell[] {
  const first = [...doc.episodes].sort((a, b) => a.number - b.number)[0];
  const path = pathOf(doc, first);
  const counters: Record<string, number> = {};
  for (const node of path) counters[nodeCounter(node)] = 1;
  for (let i = 1; i < path.length; i++) counters[linkCounter(path[i - 1], path[i])] = 1;
  return [{ family: FLOW, date: doc.identifiedOn, dims: dimensionsOf(doc, first?.competentAuthority ?? null), counters }];
}

function pathOf(doc: JourneyDocument, first: EpisodeView | undefined): FlowNode[] {
  if (!first) return ['identified', doc.dutyToNotifyOn ? 'duty_to_notify' : 'not_referred'];
  const path: FlowNode[] = ['identified', 'referred'];
  const rg = first.reasonableGrounds?.outcome;
  path.push(rg === 'positive' ? 'rg_positive' : rg === 'negative' ? 'rg_negative' : 'rg_pending');
  if (rg === 'positive') {
    const cg = first.conclusiveGrounds?.outcome;
    path.push(cg === 'positive' ? 'cg_positive' : cg === 'negative' ? 'cg_negative' : 'cg_pending');
  }
  if (!first.exit) return [...path, 'in_support'];
  path.push('exited', first.followUps.some((f) => f.contactMade) ? 'contacted' : 'not_contacted');
  path.push(doc.episodes.length > 1 ? 're_referred' : 'not_re_referred');
  return path;
}
