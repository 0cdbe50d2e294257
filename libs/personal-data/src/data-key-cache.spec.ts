import { DataKeyCache } from './data-key-cache';

const key = (n: number) => Buffer.alloc(32, n);

describe('DataKeyCache', () => {
  it('keeps the most recently used keys up to its capacity', () => {
    const cache = new DataKeyCache(2);
    cache.set('a', key(1), cache.generation);
    cache.set('b', key(2), cache.generation);
    expect(cache.get('a')).toEqual(key(1)); // a is now the most recent
    cache.set('c', key(3), cache.generation);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(key(1));
    expect(cache.get('c')).toEqual(key(3));
    expect(cache.size).toBe(2);
  });

  it('drops an evicted key', () => {
    const cache = new DataKeyCache(10);
    cache.set('a', key(1), cache.generation);
    cache.evict('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not put back a key whose load began before an eviction', () => {
    const cache = new DataKeyCache(10);
    const loadedAt = cache.generation;
    cache.evict('a'); // an erasure while the key was being read from the store
    cache.set('a', key(1), loadedAt);
    expect(cache.get('a')).toBeUndefined();
  });

  it('caches nothing with capacity 0, and refuses a bad capacity', () => {
    const cache = new DataKeyCache(0);
    cache.set('a', key(1), cache.generation);
    expect(cache.get('a')).toBeUndefined();
    expect(() => new DataKeyCache(-1)).toThrow(RangeError);
    expect(() => new DataKeyCache(1.5)).toThrow(RangeError);
  });
});
