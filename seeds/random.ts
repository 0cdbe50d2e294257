/**
 * A small seeded pseudo-random number generator and the draws the generator needs.
 *
 * xoshiro128** (Blackman and Vigna) on four 32-bit words, seeded from a string through
 * cyrb128 and splitmix32, so any name ("seed/journey index") gives an independent stream.
 * Pure integer arithmetic (Math.imul, >>>): the same seed gives the same numbers on every
 * platform and Node version. Never Math.random, never the clock.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The second normal of the last Box-Muller pair, kept for the next draw. */
  private spare: number | undefined;

  private constructor(words: readonly [number, number, number, number]) {
    // Kept as int32 (| 0) so the fields never change representation (uint32 values above 2^31 are doubles in V8).
    this.a = words[0] | 0;
    this.b = words[1] | 0;
    this.c = words[2] | 0;
    this.d = words[3] | 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 0x9e3779b9 | 0; // the all-zero state is a fixed point
  }

  /** A generator whose whole sequence is decided by `name`. */
  static from(name: string): Random {
    return new Random(cyrb128(name));
  }

  /** A 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, each equally likely. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** One key of `weights`, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    let entries = ENTRIES.get(weights);
    if (!entries) ENTRIES.set(weights, (entries = Object.entries(weights)));
    return this.weightedEntry(entries as Array<[K, number]>);
  }

  /** One value of `[value, weight]` pairs, with probability proportional to its weight. */
  weightedEntry<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    if (!(total > 0)) throw new RangeError('weights must add up to more than 0');
    let r = this.next() * total;
    for (const [value, w] of entries) {
      if (r < w) return value;
      r -= w;
    }
    return entries[entries.length - 1][0]; // rounding: r landed exactly on the total
  }

  /** Up to `n` distinct elements, in the order drawn. */
  sample<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
    return out;
  }

  /** A normal draw (Box-Muller, both halves used). */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return mean + sd * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** A lognormal draw given its median (e^mu) and sigma (sd of the log). */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** An exponential draw with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** A UUID in version 4 layout, from this generator (so deterministic, unlike crypto's). */
  uuid(): string {
    const w = [this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32()];
    w[1] = ((w[1] & 0xffff0fff) | 0x00004000) >>> 0; // version 4
    w[2] = ((w[2] & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
    const hex = w.map((x) => x.toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

/** Entries of weight tables, kept per object: most tables are constants drawn from again and again. */
const ENTRIES = new WeakMap<object, Array<[string, unknown]>>();

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** cyrb128 (public domain): a 128-bit hash of a string, mixed once more through splitmix32. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703 | 0, h2 = 3144134277 | 0, h3 = 1013904242 | 0, h4 = 2773480762 | 0;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [splitmix32(h1), splitmix32(h2), splitmix32(h3), splitmix32(h4)];
}

function splitmix32(seed: number): number {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
