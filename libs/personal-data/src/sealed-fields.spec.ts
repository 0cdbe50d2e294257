import { randomBytes } from 'node:crypto';
import { PersonalDataIntegrityError } from './errors';
import { isSealedField, openField, sealField } from './sealed-fields';

const key = randomBytes(32);

describe('a sealed field', () => {
  it('has the form pd1:<base64url iv>:<base64url ciphertext+tag>, with a 12-byte IV and a 16-byte tag', () => {
    const sealed = sealField(key, 'j-1', 'name', 'Ada');
    expect(sealed).toMatch(/^pd1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    const [, iv, body] = sealed.split(':');
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(body, 'base64url')).toHaveLength(3 + 16);
    expect(isSealedField(sealed)).toBe(true);
  });

  it('opens to its plaintext, including empty and non-Latin text', () => {
    for (const text of ['', 'Zoë Ñandú', '王秀英', '🙂 +44 7700 900123']) {
      expect(openField(key, 'j-1', 'notes', sealField(key, 'j-1', 'notes', text))).toBe(text);
    }
  });

  it('uses a fresh IV for every seal, so equal values do not look equal', () => {
    expect(sealField(key, 'j-1', 'name', 'Ada')).not.toBe(sealField(key, 'j-1', 'name', 'Ada'));
  });

  it.each([
    ['another field', 'j-1', 'notes', key],
    ['another journey', 'j-2', 'name', key],
    ['another key', 'j-1', 'name', randomBytes(32)],
  ])('does not open under %s', (_, journeyId, path, otherKey) => {
    const sealed = sealField(key, 'j-1', 'name', 'Ada');
    expect(() => openField(otherKey, journeyId, path, sealed)).toThrow(PersonalDataIntegrityError);
  });

  it('detects a flipped bit anywhere in the IV, the ciphertext or the tag', () => {
    const [prefix, ivText, bodyText] = sealField(key, 'j-1', 'name', 'Ada Lovelace').split(':');
    const flip = (text: string, at: number) => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[at] ^= 0x01;
      return bytes.toString('base64url');
    };
    const body = Buffer.from(bodyText, 'base64url');
    const variants = [
      `${prefix}:${flip(ivText, 0)}:${bodyText}`,
      ...[0, body.length - 17, body.length - 16, body.length - 1].map((at) => `${prefix}:${ivText}:${flip(bodyText, at)}`),
    ];
    for (const variant of variants) expect(() => openField(key, 'j-1', 'name', variant)).toThrow(PersonalDataIntegrityError);
  });

  it('refuses malformed values with an integrity error that names the field, never the value', () => {
    const sealed = sealField(key, 'j-1', 'name', 'Ada');
    const [, ivText, bodyText] = sealed.split(':');
    // 19 bytes take 26 characters, the last with 4 unused bits: setting one keeps the bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytesOtherText = bodyText.slice(0, -1) + alphabet[alphabet.indexOf(bodyText.at(-1)!) | 1];
    expect(Buffer.from(sameBytesOtherText, 'base64url')).toEqual(Buffer.from(bodyText, 'base64url'));
    for (const value of ['Ada Lovelace', 'pd2:AAAA:BBBB', 'pd1:AAAA', `pd1:${ivText}:${bodyText}:extra`, `pd1:${ivText}:AAAA`, `pd1:${ivText}:${sameBytesOtherText}`, 42, null]) {
      let error: unknown;
      try {
        openField(key, 'j-1', 'contact.email', value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PersonalDataIntegrityError);
      expect(error).toMatchObject({ type: 'personal_data_integrity', journeyId: 'j-1', fieldPath: 'contact.email' });
      expect((error as Error).message).not.toContain('Ada');
    }
  });

  it('is recognised by isSealedField only in its exact form', () => {
    expect(isSealedField('pd1:abc_-:def')).toBe(true);
    for (const value of ['Ada', 'pd1:abc', 'pd1::x', 'pd1:a b:c', 'PD1:a:b', 7, undefined, { pd1: 'x' }]) expect(isSealedField(value)).toBe(false);
  });
});
