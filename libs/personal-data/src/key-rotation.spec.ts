import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataKeyStore } from './data-key-store.port';
import { SqliteDataKeyStore } from './embedded/sqlite-data-key-store';
import { KeyRotationStalledError } from './errors';
import { KeyEncryptionKeys } from './key-encryption-keys';
import { rotateDataKeys } from './key-rotation';
import { PersonalDataVault } from './personal-data-vault';
import type { SealedPersonalDetails } from './personal-details-shape';

describe('rotateDataKeys', () => {
  let dataDir: string;
  let store: SqliteDataKeyStore;
  const oldKek = randomBytes(32);
  const ring = KeyEncryptionKeys.from({ current: randomBytes(32), previous: [oldKek] });

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vjt-rotation-'));
    store = SqliteDataKeyStore.open({ dataDir });
    const vault = new PersonalDataVault({ store, keks: KeyEncryptionKeys.from({ current: oldKek }) });
    for (let i = 0; i < 30; i++) await vault.seal(`j-${String(i).padStart(2, '0')}`, { name: `person ${i}` });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('rewraps in pages, and two rotations running at once rewrap each key exactly once between them', async () => {
    const counts = await Promise.all([rotateDataKeys(store, ring, 7), rotateDataKeys(store, ring, 4)]);
    expect(counts[0] + counts[1]).toBe(30);
    expect(await store.wrappedUnder(ring.currentKekId, 100)).toEqual([]);
  });

  it('keeps createdAt across a rewrap', async () => {
    const before = await store.get('j-00');
    await rotateDataKeys(store, ring);
    expect(await store.get('j-00')).toMatchObject({ createdAt: (before as { createdAt: string }).createdAt, kekId: ring.currentKekId });
  });

  it('stops instead of looping when the same keys keep coming back under an old KEK', async () => {
    const stubborn: DataKeyStore = Object.assign(Object.create(store) as DataKeyStore, { rewrap: async () => false });
    await expect(rotateDataKeys(stubborn, ring, 10)).rejects.toBeInstanceOf(KeyRotationStalledError);
  });
});

describe('PersonalDataVault.rotate', () => {
  let dataDir: string;
  let store: SqliteDataKeyStore;
  const oldKek = randomBytes(32);
  const newKek = randomBytes(32);
  const vaultWith = (current: Buffer, previous: Buffer[] = []) => new PersonalDataVault({ store, keks: KeyEncryptionKeys.from({ current, previous }) });
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vjt-rotation-'));
    store = SqliteDataKeyStore.open({ dataDir });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens keys wrapped by a previous KEK, rewraps them all, then needs the old KEK no more', async () => {
    const before = vaultWith(oldKek);
    const sealed: Array<[string, SealedPersonalDetails]> = [];
    for (let i = 0; i < 250; i++) sealed.push([`j-${i}`, await before.seal(`j-${i}`, { name: `person ${i}` })]);
    await before.erase('j-7');

    await expect(vaultWith(newKek).open('j-1', sealed[1][1])).rejects.toMatchObject({ type: 'unknown_key_encryption_key' });
    const during = vaultWith(newKek, [oldKek]);
    expect(await during.open('j-1', sealed[1][1])).toEqual({ status: 'available', details: { name: 'person 1' } });
    expect(await during.rotate()).toEqual({ rewrapped: 249 }); // j-7 is erased: nothing to rewrap
    expect(await store.wrappedUnder(KeyEncryptionKeys.from({ current: newKek }).currentKekId, 10)).toEqual([]);
    expect(await during.rotate()).toEqual({ rewrapped: 0 });

    const after = vaultWith(newKek);
    for (const [journeyId, fields] of sealed) {
      const expected = journeyId === 'j-7' ? { status: 'erased' } : { status: 'available', details: { name: `person ${journeyId.slice(2)}` } };
      expect(await after.open(journeyId, fields)).toEqual(expected);
    }
  });

  it('stops with the unknown KEK named when a key is under a KEK the ring lacks', async () => {
    await vaultWith(oldKek).seal('j-1', { name: 'Ada' });
    await expect(vaultWith(newKek).rotate()).rejects.toMatchObject({ type: 'unknown_key_encryption_key', journeyId: 'j-1' });
  });
});
