import type { Counters } from '../../../../../projections/analytics/aggregate';
import type { Cell, StoredCell } from '../../../../../projections/analytics/cells';
import { FLOW_LINKS, FLOW_NODES, linkCounter, nodeCounter } from '../../../../../projections/analytics/facts/flow';
import { buildReport, type Measure, type Report, type ReportDefinition, type ReportOptions } from '../report';
import { count } from './referrals.report';

const NODE_MEASURES = FLOW_NODES.map((node) => nodeCounter(node.id));
const LINK_MEASURES = FLOW_LINKS.map((link) => linkCounter(link.source, link.target));

/**
 * `GET /analytics/flow`, by identification date (facts/flow.ts): how many journeys reached
 * each stage and moved between stages. All counts; each node's journeys are the sum of its
 * incoming links and of its outgoing ones, so both sums are protected as additive groups:
 * a withheld flow can never be recovered by subtracting its neighbours from the node.
 */
export const flowDefinition: ReportDefinition = {
  measures(counters: Counters) {
    const measures: Record<string, Measure> = {};
    for (const name of [...NODE_MEASURES, ...LINK_MEASURES]) measures[name] = count(counters[name]);
    return measures;
  },
  additive: FLOW_NODES.flatMap(({ id }) => {
    const incoming = FLOW_LINKS.filter((link) => link.target === id).map((link) => linkCounter(link.source, link.target));
    const outgoing = FLOW_LINKS.filter((link) => link.source === id).map((link) => linkCounter(link.source, link.target));
    return [incoming, outgoing].filter((parts) => parts.length > 0).map((parts) => ({ total: nodeCounter(id), parts }));
  }),
};

/** The report, with the diagram's nodes and links named by the measures that carry them. */
export function flowReport(cells: Iterable<Cell | StoredCell>, options: ReportOptions): Report {
  return {
    ...buildReport(cells, flowDefinition, options),
    nodes: FLOW_NODES.map((node) => ({ id: node.id, label: node.label, measure: nodeCounter(node.id) })),
    links: FLOW_LINKS.map((link) => ({ ...link, measure: linkCounter(link.source, link.target) })),
  };
}
