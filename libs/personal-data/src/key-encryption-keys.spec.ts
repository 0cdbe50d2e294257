import { randomBytes } from 'node:crypto';
import { DataKeyIntegrityError, InvalidKeyEncryptionKeyError, UnknownKeyEncryptionKeyError } from './errors';
import { KeyEncryptionKeys, keyEncryptionKeyId, parseKeyEncryptionKey } from './key-encryption-keys';

const kek1 = randomBytes(32);
const kek2 = randomBytes(32);

describe('KeyEncryptionKeys', () => {
  it('names each KEK by 16 hex digits that are stable and do not reveal the key', () => {
    const id = keyEncryptionKeyId(kek1);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(keyEncryptionKeyId(Buffer.from(kek1))).toBe(id);
    expect(keyEncryptionKeyId(kek2)).not.toBe(id);
    expect(kek1.toString('hex')).not.toContain(id);
    expect(KeyEncryptionKeys.from({ current: kek1, previous: [kek2] }).kekIds).toEqual([id, keyEncryptionKeyId(kek2)]);
  });

  it('wraps under the current KEK with a fresh IV each time, and unwraps to the same data key', () => {
    const keks = KeyEncryptionKeys.from({ current: kek1 });
    const dataKey = randomBytes(32);
    const a = keks.wrap(dataKey, 'j-1');
    const b = keks.wrap(dataKey, 'j-1');
    expect(a.kekId).toBe(keyEncryptionKeyId(kek1));
    expect(Buffer.from(a.wrapped, 'base64')).toHaveLength(12 + 32 + 16);
    expect(a.wrapped).not.toBe(b.wrapped);
    expect(keks.unwrap({ journeyId: 'j-1', ...a })).toEqual(dataKey);
    expect(keks.unwrap({ journeyId: 'j-1', ...b })).toEqual(dataKey);
  });

  it('binds a wrapped key to its journey: moved onto another journey it does not unwrap', () => {
    const keks = KeyEncryptionKeys.from({ current: kek1 });
    const wrapped = keks.wrap(randomBytes(32), 'j-1');
    expect(() => keks.unwrap({ journeyId: 'j-2', ...wrapped })).toThrow(DataKeyIntegrityError);
  });

  it('detects any altered byte of a wrapped key', () => {
    const keks = KeyEncryptionKeys.from({ current: kek1 });
    const { kekId, wrapped } = keks.wrap(randomBytes(32), 'j-1');
    const bytes = Buffer.from(wrapped, 'base64');
    for (const at of [0, 11, 12, 43, 44, 59]) {
      const altered = Buffer.from(bytes);
      altered[at] ^= 1;
      expect(() => keks.unwrap({ journeyId: 'j-1', kekId, wrapped: altered.toString('base64') })).toThrow(DataKeyIntegrityError);
    }
    expect(() => keks.unwrap({ journeyId: 'j-1', kekId, wrapped: bytes.subarray(0, 40).toString('base64') })).toThrow(DataKeyIntegrityError);
  });

  it('unwraps with a previous KEK but wraps only with the current one', () => {
    const dataKey = randomBytes(32);
    const old = KeyEncryptionKeys.from({ current: kek1 }).wrap(dataKey, 'j-1');
    const ring = KeyEncryptionKeys.from({ current: kek2, previous: [kek1] });
    expect(ring.unwrap({ journeyId: 'j-1', ...old })).toEqual(dataKey);
    expect(ring.wrap(dataKey, 'j-1').kekId).toBe(keyEncryptionKeyId(kek2));
  });

  it('names the missing KEK and what to configure when a key is under an unknown one', () => {
    const old = KeyEncryptionKeys.from({ current: kek1 }).wrap(randomBytes(32), 'j-1');
    const error = (() => {
      try {
        KeyEncryptionKeys.from({ current: kek2 }).unwrap({ journeyId: 'j-1', ...old });
      } catch (e) {
        return e as UnknownKeyEncryptionKeyError;
      }
    })();
    expect(error).toBeInstanceOf(UnknownKeyEncryptionKeyError);
    expect(error).toMatchObject({ type: 'unknown_key_encryption_key', kekId: old.kekId, journeyId: 'j-1' });
    expect(error!.message).toContain('KEY_ENCRYPTION_KEYS_PREVIOUS');
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => KeyEncryptionKeys.from({ current: randomBytes(16) })).toThrow(RangeError);
    expect(() => KeyEncryptionKeys.from({ current: kek1, previous: [randomBytes(31)] })).toThrow(RangeError);
    expect(() => KeyEncryptionKeys.from({ current: kek1 }).wrap(randomBytes(16), 'j')).toThrow(RangeError);
  });
});

describe('parseKeyEncryptionKey', () => {
  it('accepts 64 hex digits, and base64 standard or URL-safe, padded or not', () => {
    const key = Buffer.from('fb'.repeat(16) + 'ff'.repeat(16), 'hex');
    for (const text of [key.toString('hex'), key.toString('hex').toUpperCase(), key.toString('base64'), key.toString('base64url'), ` ${key.toString('base64')}\n`]) {
      expect(parseKeyEncryptionKey(text)).toEqual(key);
    }
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
    ['not base64', 'this is not a key at all, not even close!!'],
    ['63 hex digits', 'a'.repeat(63)],
  ])('refuses a key that is %s, naming the variable and never echoing the value', (_, text) => {
    let error: unknown;
    try {
      parseKeyEncryptionKey(text, 'KEY_ENCRYPTION_KEYS_PREVIOUS');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidKeyEncryptionKeyError);
    expect((error as Error).message).toMatch(/^KEY_ENCRYPTION_KEYS_PREVIOUS must be a 32-byte key/);
    expect((error as Error).message).not.toContain(text);
  });
});

describe('KeyEncryptionKeys.fromEnvironment', () => {
  it('reads KEY_ENCRYPTION_KEY and the comma-separated KEY_ENCRYPTION_KEYS_PREVIOUS', () => {
    const kek3 = randomBytes(32);
    const keks = KeyEncryptionKeys.fromEnvironment(
      { KEY_ENCRYPTION_KEY: kek1.toString('base64'), KEY_ENCRYPTION_KEYS_PREVIOUS: `${kek2.toString('hex')}, ${kek3.toString('base64')}` },
      () => {
        throw new Error('the fallback must not be used when KEY_ENCRYPTION_KEY is set');
      },
    );
    expect(keks.currentKekId).toBe(keyEncryptionKeyId(kek1));
    expect(keks.kekIds).toEqual([kek1, kek2, kek3].map(keyEncryptionKeyId));
  });

  it('falls back (to the embedded key file) when KEY_ENCRYPTION_KEY is unset or empty', () => {
    for (const env of [{}, { KEY_ENCRYPTION_KEY: '  ', KEY_ENCRYPTION_KEYS_PREVIOUS: '' }]) {
      expect(KeyEncryptionKeys.fromEnvironment(env, () => kek2).kekIds).toEqual([keyEncryptionKeyId(kek2)]);
    }
  });

  it('names the variable holding a bad key', () => {
    expect(() => KeyEncryptionKeys.fromEnvironment({ KEY_ENCRYPTION_KEY: 'nope' }, () => kek1)).toThrow(/^KEY_ENCRYPTION_KEY must/);
    expect(() => KeyEncryptionKeys.fromEnvironment({ KEY_ENCRYPTION_KEYS_PREVIOUS: `${kek2.toString('hex')},` }, () => kek1)).toThrow(
      /^KEY_ENCRYPTION_KEYS_PREVIOUS must/,
    );
  });
});
