import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PersonalDetails } from '../../domain/src/events';
import { isErasedDataKey, type DataKeyStore, type WrappedDataKey } from './data-key-store.port';
import { keysDirectory, SqliteDataKeyStore } from './embedded/sqlite-data-key-store';
import { DataKeyMissingError, PersonalDataErasedError, PersonalDataIntegrityError, PersonalDataShapeError } from './errors';
import { KeyEncryptionKeys } from './key-encryption-keys';
import { PersonalDataVault } from './personal-data-vault';
import { isSealedField } from './sealed-fields';

const details: PersonalDetails = {
  name: 'Ada Lovelace',
  dateOfBirth: '1990-12-10',
  contact: { phone: '+44 7700 900123', email: 'ada@example.org', address: '12 St James Square, London' },
  notes: 'Prefers contact through her support worker.',
};

/** Counts store reads, to see the cache at work (wiring, not a business rule). */
function counting(store: DataKeyStore): DataKeyStore & { gets: number } {
  const counted = Object.assign(Object.create(store) as DataKeyStore, { gets: 0 });
  counted.get = (journeyId: string) => {
    counted.gets++;
    return store.get(journeyId);
  };
  return counted;
}

describe('PersonalDataVault', () => {
  let dataDir: string;
  let store: SqliteDataKeyStore;
  const kek = randomBytes(32);
  const vaultWith = (options: { keks?: KeyEncryptionKeys; store?: DataKeyStore; cacheSize?: number } = {}) =>
    new PersonalDataVault({ store: options.store ?? store, keks: options.keks ?? KeyEncryptionKeys.from({ current: kek }), cacheSize: options.cacheSize });

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vjt-vault-'));
    store = SqliteDataKeyStore.open({ dataDir });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('seals every present field separately, keeping the shape, and opens them again', async () => {
    const vault = vaultWith();
    const sealed = await vault.seal('j-1', details);
    expect(Object.keys(sealed)).toEqual(['name', 'dateOfBirth', 'contact', 'notes']);
    expect(Object.keys(sealed.contact!)).toEqual(['phone', 'email', 'address']);
    for (const value of [sealed.name, sealed.dateOfBirth, sealed.notes, ...Object.values(sealed.contact!)]) expect(isSealedField(value)).toBe(true);
    expect(await vault.open('j-1', sealed)).toEqual({ status: 'available', details });
    expect(await vaultWith().open('j-1', sealed)).toEqual({ status: 'available', details }); // a cold cache unwraps from the store
  });

  it('seals only what is present, and leaves absent fields absent', async () => {
    const vault = vaultWith();
    const sealed = await vault.seal('j-1', { contact: { email: 'a@example.org', phone: undefined } });
    expect(Object.keys(sealed)).toEqual(['contact']);
    expect(Object.keys(sealed.contact!)).toEqual(['email']);
    expect(await vault.open('j-1', sealed)).toEqual({ status: 'available', details: { contact: { email: 'a@example.org' } } });
  });

  it('never lets the plaintext, its base64 or its hex reach the sealed JSON or any file of the key store', async () => {
    const canary = `CANARY-${randomUUID()}`;
    const vault = vaultWith();
    const sealed = await vault.seal('j-1', { name: canary, contact: { address: `${canary} Road` }, notes: `see ${canary}` });
    await store.close(); // flush the WAL into the database file too
    store = SqliteDataKeyStore.open({ dataDir });
    const forms = [canary, Buffer.from(canary).toString('base64'), Buffer.from(canary).toString('base64url'), Buffer.from(canary).toString('hex'), Buffer.from(canary, 'utf16le').toString('hex')];
    const json = JSON.stringify(sealed);
    const files = fs.readdirSync(keysDirectory(dataDir)).map((name) => fs.readFileSync(path.join(keysDirectory(dataDir), name)));
    for (const form of forms) {
      expect(json).not.toContain(form);
      for (const bytes of files) {
        expect(bytes.includes(form)).toBe(false);
        expect(bytes.includes(Buffer.from(canary, 'utf16le'))).toBe(false);
      }
    }
    const dataKey = KeyEncryptionKeys.from({ current: kek }).unwrap((await store.get('j-1')) as WrappedDataKey);
    for (const bytes of files) expect(bytes.includes(dataKey)).toBe(false); // only the wrapped key is stored
  });

  it('throws an integrity error, naming the field but not the data, for a tampered ciphertext', async () => {
    const vault = vaultWith();
    const sealed = await vault.seal('j-1', details);
    const [prefix, iv, body] = sealed.contact!.email!.split(':');
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] ^= 0x80;
    const tampered = { ...sealed, contact: { ...sealed.contact, email: `${prefix}:${iv}:${bytes.toString('base64url')}` } };
    const error = await vault.open('j-1', tampered).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersonalDataIntegrityError);
    expect(error).toMatchObject({ journeyId: 'j-1', fieldPath: 'contact.email' });
    expect((error as Error).message).not.toMatch(/ada|Lovelace/i);
  });

  it('refuses a ciphertext moved to another field or to another journey (AAD binding)', async () => {
    const vault = vaultWith();
    const one = await vault.seal('j-1', details);
    const two = await vault.seal('j-2', { name: 'Grace Hopper' });
    await expect(vault.open('j-1', { ...one, name: one.notes })).rejects.toMatchObject({ type: 'personal_data_integrity', fieldPath: 'name' });
    await expect(vault.open('j-1', { ...one, name: two.name })).rejects.toThrow(PersonalDataIntegrityError);
    await expect(vault.open('j-2', { name: one.name })).rejects.toThrow(PersonalDataIntegrityError);
  });

  it('erases: the key becomes a tombstone, reads say erased, and nothing new can be sealed', async () => {
    const vault = vaultWith();
    const sealed = await vault.seal('j-1', details);
    await vault.erase('j-1');
    expect(isErasedDataKey((await store.get('j-1'))!)).toBe(true);
    expect(await vault.open('j-1', sealed)).toEqual({ status: 'erased' });
    expect(await vaultWith().open('j-1', sealed)).toEqual({ status: 'erased' });
    await expect(vault.seal('j-1', { name: 'Ada' })).rejects.toBeInstanceOf(PersonalDataErasedError);
    await vault.erase('j-1'); // idempotent
  });

  it('refuses to seal for a journey erased before it ever had personal data', async () => {
    const vault = vaultWith();
    await vault.erase('j-1');
    await expect(vault.seal('j-1', details)).rejects.toMatchObject({ type: 'personal_data_erased', journeyId: 'j-1' });
  });

  it('agrees on one data key when two processes seal a new journey at once', async () => {
    const [a, b] = [vaultWith(), vaultWith()];
    const [fromA, fromB] = await Promise.all([a.seal('j-1', { name: 'from a' }), b.seal('j-1', { name: 'from b' })]);
    expect(await b.open('j-1', fromA)).toEqual({ status: 'available', details: { name: 'from a' } });
    expect(await a.open('j-1', fromB)).toEqual({ status: 'available', details: { name: 'from b' } });
  });

  it('serves hot reads from its cache, and stops when told another process erased the journey', async () => {
    const shared = counting(store);
    const reader = vaultWith({ store: shared });
    const sealed = await vaultWith().seal('j-1', details);
    for (let i = 0; i < 5; i++) await reader.open('j-1', sealed);
    expect(shared.gets).toBe(1);
    await vaultWith().erase('j-1'); // another process
    expect((await reader.open('j-1', sealed)).status).toBe('available'); // still cached here...
    reader.forget('j-1'); // ...until its ErasureEnforcer sees the event
    expect(await reader.open('j-1', sealed)).toEqual({ status: 'erased' });
    expect(await reader.open('j-1', sealed)).toEqual({ status: 'erased' });
    expect(shared.gets).toBe(3); // tombstones are not cached as keys: each read asks the store
  });

  it('reports a journey with sealed data but no key, rather than calling it erased', async () => {
    const sealed = await vaultWith().seal('j-1', details);
    const elsewhere = SqliteDataKeyStore.open({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'vjt-vault-other-')) });
    try {
      await expect(vaultWith({ store: elsewhere }).open('j-1', sealed)).rejects.toBeInstanceOf(DataKeyMissingError);
    } finally {
      await elsewhere.close();
      fs.rmSync(path.dirname(path.dirname(elsewhere.path)), { recursive: true, force: true });
    }
  });

  it('seals and opens empty details without creating or reading a key', async () => {
    expect(await vaultWith().seal('j-1', { contact: {} })).toEqual({});
    expect(await vaultWith().open('j-1', {})).toEqual({ status: 'available', details: {} });
    expect(await store.get('j-1')).toBeUndefined();
  });

  it('refuses details that are not strings and objects, naming the path and not creating a key', async () => {
    const vault = vaultWith();
    const bad = { name: 'Ada', contact: { phone: 447700900123 } } as unknown as PersonalDetails;
    await expect(vault.seal('j-1', bad)).rejects.toMatchObject({ type: 'personal_data_shape', fieldPath: 'contact.phone', found: 'number' });
    await expect(vault.seal('j-1', { name: ['Ada'] } as unknown as PersonalDetails)).rejects.toBeInstanceOf(PersonalDataShapeError);
    expect(await store.get('j-1')).toBeUndefined();
  });
});
