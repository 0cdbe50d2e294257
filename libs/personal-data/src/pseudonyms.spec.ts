import { createHmac, randomBytes } from 'node:crypto';
import { Pseudonymiser } from './pseudonyms';

/** Reference base32 (RFC 4648, lower case) through a bit string: slow but obviously right. */
function base32(bytes: Buffer): string {
  const bits = [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('');
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return (bits.match(/.{5}/g) ?? []).map((chunk) => alphabet[parseInt(chunk, 2)]).join('');
}

describe('Pseudonymiser', () => {
  const key = randomBytes(32);

  it("is 'p-' and 20 base32 characters of the keyed HMAC of the journey id", () => {
    const journeyId = '0b7f3c52-6a0e-4a4f-9d55-2f3ad0a5d6a1';
    const pseudonym = new Pseudonymiser(key).pseudonymOf(journeyId);
    expect(pseudonym).toMatch(/^p-[a-z2-7]{20}$/);
    const mac = createHmac('sha256', key).update('victim-journey-tracker/pseudonym/v1\u0000').update(journeyId).digest();
    expect(pseudonym).toBe(`p-${base32(mac).slice(0, 20)}`);
  });

  it('is stable for the same key, and differs between journeys and between keys', () => {
    const a = new Pseudonymiser(key);
    expect(a.pseudonymOf('j-1')).toBe(new Pseudonymiser(Buffer.from(key)).pseudonymOf('j-1'));
    expect(a.pseudonymOf('j-1')).not.toBe(a.pseudonymOf('j-2'));
    expect(a.pseudonymOf('j-1')).not.toBe(new Pseudonymiser(randomBytes(32)).pseudonymOf('j-1'));
  });

  it('does not collide over 100,000 journeys', () => {
    const p = new Pseudonymiser(key);
    const seen = new Set(Array.from({ length: 100_000 }, (_, i) => p.pseudonymOf(`journey-${i}`)));
    expect(seen.size).toBe(100_000);
  });

  it('refuses a key shorter than 32 bytes, and accepts a longer one', () => {
    expect(() => new Pseudonymiser(randomBytes(31))).toThrow(RangeError);
    expect(new Pseudonymiser(randomBytes(64)).pseudonymOf('j-1')).toMatch(/^p-[a-z2-7]{20}$/);
  });
});
