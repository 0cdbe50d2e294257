import { packPosition, unpackPosition } from './esdb-positions';

describe('EventStoreDB positions packed into one bigint', () => {
  it('round-trips commit and prepare losslessly, up to 2^64 - 1', () => {
    const max = (1n << 64n) - 1n;
    for (const position of [{ commit: 0n, prepare: 0n }, { commit: 123n, prepare: 45n }, { commit: max, prepare: max }, { commit: 2n ** 53n + 1n, prepare: 2n ** 53n + 3n }]) {
      expect(unpackPosition(packPosition(position))).toEqual(position);
    }
  });

  it('orders as $all does: by commit, then prepare', () => {
    const sorted = [
      { commit: 100n, prepare: 100n }, { commit: 100n, prepare: 180n }, { commit: 101n, prepare: 50n }, { commit: 2n ** 40n, prepare: 0n },
    ].map(packPosition);
    expect([...sorted].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(sorted);
    expect(new Set(sorted).size).toBe(sorted.length);
  });

  it('refuses what does not fit in 64 bits', () => {
    expect(() => packPosition({ commit: 1n << 64n, prepare: 0n })).toThrow(RangeError);
    expect(() => packPosition({ commit: 0n, prepare: -1n })).toThrow(RangeError);
  });
});
