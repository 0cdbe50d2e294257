import { createHash } from 'node:crypto';
import { canonicalBytes } from './canonical';
import { chainHash, ChainVerifier, eventHash, GENESIS_HASH } from './hash-chain';
import { seededRandom, stored } from './testing/audit-fixtures';

const sha256 = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

/** Both chains the long way: every stream's last link in memory, no cache. */
function naive(events: ReturnType<typeof stored>[]) {
  const streams = new Map<string, Buffer>();
  let global = Buffer.alloc(32);
  return events.map((e) => {
    const h = sha256(canonicalBytes(e));
    const s = sha256(streams.get(e.streamId) ?? Buffer.alloc(32), h);
    streams.set(e.streamId, s);
    global = sha256(global, h);
    return { eventHash: h.toString('hex'), streamHash: s.toString('hex'), globalHash: global.toString('hex') };
  });
}

/** A log of `n` events over `streams` streams, in log order with contiguous revisions. */
function log(n: number, streams: number, seed = 7) {
  const random = seededRandom(seed);
  const revisions = new Map<string, number>();
  return Array.from({ length: n }, (_, position) => {
    const streamId = `s-${Math.floor(random() * streams)}`;
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    return stored(streamId, revision, position);
  });
}

describe('the hash chain', () => {
  it('hashes the canonical bytes, and links with SHA-256(previous || eventHash) from 32 zero bytes', () => {
    const e = stored('s', 0, 0);
    expect(eventHash(e)).toEqual(sha256(canonicalBytes(e)));
    expect(GENESIS_HASH).toEqual(Buffer.alloc(32));
    expect(chainHash(GENESIS_HASH, eventHash(e))).toEqual(sha256(Buffer.alloc(32), sha256(canonicalBytes(e))));
  });

  it('changes every later global hash, and only that stream\u2019s later hashes, when one event changes', () => {
    const events = log(50, 5);
    const before = naive(events);
    const changed = events.map((e) => (e.position === 20n ? { ...e, data: { ...e.data, tampered: true } } : e));
    const after = naive(changed);
    const stream = events[20].streamId;
    for (let i = 0; i < 50; i++) {
      expect(after[i].globalHash === before[i].globalHash).toBe(i < 20);
      expect(after[i].streamHash === before[i].streamHash).toBe(i < 20 || events[i].streamId !== stream);
    }
  });

  describe('ChainVerifier', () => {
    it('recomputes both chains as the long way does, with a cache of one stream and seeds', () => {
      const events = log(300, 40);
      const expected = naive(events);
      const verifier = new ChainVerifier({ gapFree: true, streamCacheSize: 1 });
      const lastOf = new Map<string, { revision: bigint; hash: Buffer }>();
      events.forEach((event, i) => {
        // What verify.ts does from the ledger: seed the stream's previous link when it was evicted.
        if (verifier.needsSeed(event.streamId, event.revision)) {
          const last = lastOf.get(event.streamId)!;
          verifier.seed(event.streamId, last.revision, last.hash);
        }
        const { link, problem } = verifier.next(event);
        expect(problem).toBeUndefined();
        expect(link).toMatchObject(expected[i]);
        lastOf.set(event.streamId, { revision: event.revision, hash: Buffer.from(link.streamHash!, 'hex') });
      });
    });

    it('leaves the stream hash unknown when an evicted stream is not seeded, and still links the global chain', () => {
      const verifier = new ChainVerifier({ gapFree: true, streamCacheSize: 1 });
      verifier.next(stored('a', 0, 0));
      verifier.next(stored('b', 0, 1));
      const { link, problem } = verifier.next(stored('a', 1, 2));
      expect(problem).toBeUndefined();
      expect(link.streamHash).toBeUndefined();
      expect(link.globalHash).toBe(naive([stored('a', 0, 0), stored('b', 0, 1), stored('a', 1, 2)])[2].globalHash);
    });

    it('reports the first missing position of a gap where positions are gap-free', () => {
      const verifier = new ChainVerifier({ gapFree: true });
      verifier.next(stored('a', 0, 0));
      expect(verifier.next(stored('a', 1, 3)).problem).toEqual({ position: 1n, reason: 'position 1 is missing: the log goes from 0 to 3' });
    });

    it('expects the first event at 0, or just after where it starts', () => {
      expect(new ChainVerifier({ gapFree: true }).next(stored('a', 0, 1)).problem?.position).toBe(0n);
      expect(new ChainVerifier({ gapFree: true, after: 9n }).next(stored('a', 0, 10)).problem).toBeUndefined();
    });

    it('accepts gaps where positions are log offsets, but never going backwards', () => {
      const verifier = new ChainVerifier({ gapFree: false });
      verifier.next(stored('a', 0, 100));
      expect(verifier.next(stored('a', 1, 250)).problem).toBeUndefined();
      expect(verifier.next(stored('b', 0, 250)).problem?.reason).toMatch(/out of order/);
    });

    it('reports a revision out of turn', () => {
      const verifier = new ChainVerifier({ gapFree: true });
      verifier.next(stored('a', 0, 0));
      expect(verifier.next(stored('a', 2, 1)).problem).toEqual({ position: 1n, reason: 'a revision 2 follows revision 0' });
    });
  });
});
