/**
 * The vault's least-recently-used cache of unwrapped data keys, so that reading a hot journey
 * does not unwrap its key (and ask the key store) every time.
 *
 * Only live keys are cached, never tombstones. An erasure seen by this process evicts the
 * key; `generation` lets a load that was in flight across an eviction notice it and not put
 * back a key that was just evicted.
 */
export class DataKeyCache {
  private readonly keys = new Map<string, Buffer>();
  private evictions = 0;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`cacheSize must be a non-negative integer, got ${capacity}`);
  }

  /** Counts evictions by erasure; compare before and after a load. */
  get generation(): number {
    return this.evictions;
  }

  get size(): number {
    return this.keys.size;
  }

  get(journeyId: string): Buffer | undefined {
    const key = this.keys.get(journeyId);
    if (key) {
      // Re-inserting moves it to the back of the Map's order: the most recently used end.
      this.keys.delete(journeyId);
      this.keys.set(journeyId, key);
    }
    return key;
  }

  /** Caches a key loaded while the generation was `loadedAt`, unless an eviction happened since. */
  set(journeyId: string, key: Buffer, loadedAt: number): void {
    if (this.capacity === 0 || loadedAt !== this.evictions) return;
    this.keys.delete(journeyId);
    this.keys.set(journeyId, key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.keys().next().value!);
  }

  /** Drops the journey's key (it was erased, here or elsewhere). */
  evict(journeyId: string): void {
    this.evictions++;
    this.keys.delete(journeyId);
  }
}
