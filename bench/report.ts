import type { BenchResults } from './run';
import { round } from './stats';

/**
 * The Markdown report: first each target of issue 9 with what was measured and whether it was
 * met, then every scenario's figures. A missed target names its cause, as found by profiling
 * (docs/performance.md has the profiles and what would close each gap).
 */
interface Verdict {
  target: string;
  measured: string;
  met: boolean;
  /** Why it is missed, from the profiles in docs/performance.md; shown only when it is. */
  cause: string;
}

const ratio = (a: number, b: number) => round(a / Math.max(b, 1e-9), 1);
/** Flat: the largest log's figure within 20% of the smallest's. */
const flat = (first: number, last: number) => Math.abs(last / first - 1) <= 0.2;

function verdicts(r: BenchResults): Verdict[] {
  const c64 = r.commands.find((c) => c.connections === 64)!;
  const single = r.store.find((s) => s.ours.eventsPerCall === 1)!;
  const [small, , large] = [r.growth[0], r.growth[1], r.growth[r.growth.length - 1]];
  const slowestRead = Math.max(...r.reads.map((e) => e.latencyMs.p99));
  const slowestAnalytics = r.analytics.reduce((a, b) => (b.latencyMs.p95 > a.latencyMs.p95 ? b : a));
  const rss = r.growth.map((g) => g.peakRssMiB ?? 0);
  return [
    {
      target: '`npm run bench` in under 15 minutes',
      measured: `${round(r.totalSeconds / 60, 1)} min (after the build)`,
      met: r.totalSeconds < 15 * 60,
      cause: 'Projection: the bench projects about 1.5M events (the growth steps to 500k, then the rebuild of the 1M log), at the rebuild rate below; at the 50,000 events/s target that would take 30 s.',
    },
    {
      target: 'Commands: ≥ 3,000/s at concurrency 64, p99 < 25 ms, durable, no errors',
      measured: `${c64.commandsPerSecond}/s, p99 ${c64.latencyMs.p99} ms, ${c64.errors} errors`,
      met: c64.commandsPerSecond >= 3000 && c64.latencyMs.p99 < 25 && c64.errors === 0,
      cause: 'CPU-bound in one API process: each command also runs, in the same event loop, both projections (the analytics cube writes about 2 cells per event through the embedded store\'s general update path) and the audit ledger; a projector batch holds the loop for tens of ms, which is the p99.',
    },
    {
      target: 'Store: ≥ 10 × the peer\'s single-event append rate, durably',
      measured: `${single.ours.callsPerSecond}/s vs ${single.peer.callsPerSecond}/s: ${ratio(single.ours.callsPerSecond, single.peer.callsPerSecond)} ×`,
      met: single.ours.callsPerSecond >= 10 * single.peer.callsPerSecond,
      cause: 'One fsync per sequential append is the floor for both stores; see docs/performance.md.',
    },
    {
      target: 'Rebuild: ≥ 50,000 events/s across all projections',
      measured: `${r.rebuild.eventsPerSecond} events/s (${r.rebuild.events} events in ${r.rebuild.seconds} s)`,
      met: r.rebuild.eventsPerSecond >= 50_000,
      cause: 'The analytics projection (most of the time) writes about 27 documents per journey (its journey document, about 8 fine cells, about 19 roll-up updates), each through the embedded store\'s general MongoDB update path, JSON encoding and SQLite; a profile at 77k events: store writes and commits about 45%, computing the cells 20%, garbage collection most of the rest.',
    },
    {
      target: 'Rebuild: peak RSS < 1 GB',
      measured: `${r.rebuild.peakRssMiB ?? '?'} MiB`,
      met: (r.rebuild.peakRssMiB ?? Infinity) < 1024,
      cause: 'The embedded read store keeps every document of a collection in memory, as its stored text (about 1.2 million documents at 1M events: a gigabyte of text), plus a cache of decoded documents, the query indexes, and the heap headroom V8 keeps between collections.',
    },
    {
      target: 'Flat memory as the log grows (peak RSS of seeding and projecting each step)',
      measured: rss.map((m, i) => `${r.growth[i].logEvents} events: ${m} MiB`).join('; '),
      met: flat(rss[0], rss[rss.length - 1]),
      cause: 'The same: the read models\' text in memory grows with them (each process also keeps up to 10,000 decoded documents per collection).',
    },
    {
      target: 'Reads: p99 < 5 ms for journey, history and as-at state at 100 events',
      measured: r.reads.map((e) => `${shortName(e.endpoint)} ${e.latencyMs.p99} ms`).join('; '),
      met: slowestRead < 5,
      cause: 'Medians are about a millisecond for a journey and a few for history and as-at state, which read and fold the 100 events per request; the tails are garbage-collection pauses of a heap that holds the read models\' text.',
    },
    {
      target: 'Analytics: p95 < 50 ms per endpoint at 100,000 journeys',
      measured: `slowest ${shortName(slowestAnalytics.endpoint)} p95 ${slowestAnalytics.latencyMs.p95} ms, on ${large.totalJourneys} seeded journeys (the ${large.logEvents}-event log); ${r.analytics.filter((e) => e.latencyMs.p95 >= 50).length} of ${r.analytics.length} endpoints over`,
      met: slowestAnalytics.latencyMs.p95 < 50,
      cause: 'Reports that no roll-up answers read cells in proportion to the journeys and decode and aggregate them on every request: backlog the waits open at its date or ending after it (an index on the end narrows to those), data quality, regions and conclusive-grounds times the fine cells of their date range (about one per journey); the API\'s garbage collection over its multi-gigabyte heap roughly doubles their in-process time. After-exit with no breakdown reads day roll-ups.',
    },
    {
      target: 'Growth: per-command cost flat from the smallest to the largest log',
      measured: r.growth.map((g) => `${g.logEvents} events: ${g.commands.commandsPerSecond}/s`).join('; '),
      met: flat(small.commands.commandsPerSecond, large.commands.commandsPerSecond),
      cause: 'Every command\'s own cost is flat; what grows is the garbage collection over a heap holding the read models\' text, and the projector in the same process.',
    },
    {
      target: 'Growth: per-event projection cost flat',
      measured: r.growth.map((g) => `${g.logEvents} events: ${g.projection.eventsPerSecond} events/s`).join('; '),
      met: flat(small.projection.eventsPerSecond, large.projection.eventsPerSecond),
      cause: 'Garbage collection over the heap that holds the read models grows with them (opening the read models is left out of the rate).',
    },
  ];
}

const shortName = (endpoint: string) => endpoint.replace(/^GET /, '').replace(/\?.*$/, '');

export function markdown(r: BenchResults): string {
  const { machine } = r;
  const c64 = r.commands.find((c) => c.connections === 64);
  return [
    `# Benchmark results${r.quick ? ' (quick: harness check only, not figures to quote)' : ''}`,
    '',
    `Ran ${r.ranAt} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node} (${machine.platform}); the whole run took ${round(r.totalSeconds / 60, 1)} min. `
      + 'Embedded default (SQLite event store with synchronous=FULL and group commit; embedded read store). Made by `npm run bench`; how each figure is taken: docs/performance.md.',
    '',
    '## Targets',
    '',
    '| Target | Measured | Met | Gap and its cause |',
    '|---|---|---|---|',
    ...verdicts(r).map((v) => `| ${v.target} | ${v.measured} | ${v.met ? 'yes' : '**no**'} | ${v.met ? '' : v.cause} |`),
    '',
    '## 1. Commands over HTTP (identify, consent, refer, decide, assess, care, exit, follow-up; autocannon; every response checked)',
    '',
    '| Connections | Commands/s (median run) | Each run | p50 ms | p99 ms | p99.9 ms | Errors |',
    '|---|---|---|---|---|---|---|',
    ...r.commands.map((c) => `| ${c.connections} | ${c.commandsPerSecond} | ${c.ratesPerRun.join(', ')} | ${c.latencyMs.p50} | ${c.latencyMs.p99} | ${c.latencyMs.p999} | ${c.errors} |`),
    '',
    c64 ? `Mix at concurrency 64: ${Object.entries(c64.byCommand).map(([k, v]) => `${k} ${v}`).join(', ')}. Latencies are autocannon's, in whole milliseconds.` : '',
    '',
    '## 2. Store: appends through the event-store port, durable, one caller (ours vs Emmett SQLite)',
    '',
    '| Events per call | Ours calls/s | Ours events/s | Ours p50 / p99 / p99.9 ms | Peer calls/s | Peer p50 / p99 / p99.9 ms | Ours ÷ peer |',
    '|---|---|---|---|---|---|---|',
    ...r.store.map(({ ours, peer }) => `| ${ours.eventsPerCall} | ${ours.callsPerSecond} | ${ours.eventsPerSecond} | ${ours.latencyMs.p50} / ${ours.latencyMs.p99} / ${ours.latencyMs.p999} | ${peer.callsPerSecond} | ${peer.latencyMs.p50} / ${peer.latencyMs.p99} / ${peer.latencyMs.p999} | ${ratio(ours.callsPerSecond, peer.callsPerSecond)} |`),
    '',
    `Stream reads (10-event streams, read and folded): ours ${r.streamReads.ours.streamsPerSecond}/s (p99 ${r.streamReads.ours.latencyMs.p99} ms), peer ${r.streamReads.peer.streamsPerSecond}/s (p99 ${r.streamReads.peer.latencyMs.p99} ms): ${ratio(r.streamReads.ours.streamsPerSecond, r.streamReads.peer.streamsPerSecond)} ×.`,
    '',
    '## 3. Rebuild of every projection from the whole log',
    '',
    `${r.rebuild.events} events: ${r.rebuild.seconds} s, **${r.rebuild.eventsPerSecond} events/s**, peak RSS ${r.rebuild.peakRssMiB ?? '?'} MiB (${r.rebuild.projections.map((p) => `${p.name} ${p.seconds} s`).join(', ')}).`,
    '',
    '## Growth: the log at each size',
    '',
    '| Log events | Journeys added | Seeded events/s of the added | Read models opened, s | Projection of the added events: events/s | Peak RSS (seed + project) MiB | Commands/s at 64 | p99 ms | Errors |',
    '|---|---|---|---|---|---|---|---|---|',
    ...r.growth.map((g) => `| ${g.logEvents} | ${g.journeys} | ${g.eventsPerSecond} | ${g.projection.startSeconds} | ${g.projection.eventsPerSecond} | ${g.peakRssMiB ?? '?'} | ${g.commands.commandsPerSecond} | ${g.commands.latencyMs.p99} | ${g.commands.errors} |`),
    '',
    'Each step projects the journeys it adds on top of the read models of the step before. The largest log is first seeded without projecting and brought up to date by the rebuild (3); its row is an increment (journeys of a second seed) projected on top of the rebuilt models. Opening the read models (the embedded store loads each collection into memory) is left out of the events/s.',
    '',
    '## 4. Reads of 100-event journeys (sequential requests, client-side)',
    '',
    latencyTable(r.reads),
    '',
    `## 5. Analytics on the whole log (${r.growth[r.growth.length - 1].logEvents} events)`,
    '',
    latencyTable(r.analytics),
    '',
    `## 6. Peer: projection replay of the journeys read model (${r.replay.journeys} journeys, ${r.replay.ours.events} events)`,
    '',
    `Ours ${r.replay.ours.eventsPerSecond} events/s (${r.replay.ours.seconds} s); Emmett's consumer ${r.replay.peer.eventsPerSecond} events/s (${r.replay.peer.seconds} s): ${ratio(r.replay.ours.eventsPerSecond, r.replay.peer.eventsPerSecond)} ×.`,
    '',
  ].join('\n');
}

function latencyTable(rows: readonly { endpoint: string; requests: number; firstMs: number; latencyMs: { p50: number; p95: number; p99: number; p999: number } }[]): string {
  return [
    '| Endpoint | Requests | First (cold) ms | p50 ms | p95 ms | p99 ms | p99.9 ms |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((e) => `| \`${e.endpoint}\` | ${e.requests} | ${e.firstMs} | ${e.latencyMs.p50} | ${e.latencyMs.p95} | ${e.latencyMs.p99} | ${e.latencyMs.p999} |`),
  ].join('\n');
}
