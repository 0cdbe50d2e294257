import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '../../event-store/src/embedded/sqlite-event-store';
import { anEvent } from '../../event-store/src/testing/contract-support';
import { isErasedDataKey } from './data-key-store.port';
import { keysDirectory, SqliteDataKeyStore } from './embedded/sqlite-data-key-store';
import { ErasureEnforcer } from './erasure-enforcer';
import { KeyEncryptionKeys } from './key-encryption-keys';
import { PersonalDataVault } from './personal-data-vault';

const keks = KeyEncryptionKeys.from({ current: Buffer.alloc(32, 7) });
const erased = (reason = 'case ref 123') => anEvent({ occurredAt: '2025-03-01', reason, legalBasis: 'uk_gdpr_article_17' }, 'PersonalDataErased');

async function until(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ErasureEnforcer', () => {
  let dataDir: string;
  let events: SqliteEventStore;
  let keys: SqliteDataKeyStore;
  let vault: PersonalDataVault;
  const enforcer = (options: { vault?: PersonalDataVault; checkpointEvery?: number } = {}) =>
    new ErasureEnforcer({ events, vault: options.vault ?? vault, store: keys, checkpointEvery: options.checkpointEvery });
  const reopenKeys = async () => {
    await keys.close();
    keys = SqliteDataKeyStore.open({ dataDir });
    vault = new PersonalDataVault({ store: keys, keks });
  };

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vjt-erasure-'));
    events = SqliteEventStore.open({ directory: dataDir });
    keys = SqliteDataKeyStore.open({ dataDir });
    vault = new PersonalDataVault({ store: keys, keks });
  });
  afterEach(async () => {
    await events.close();
    await keys.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('destroys the key of every journey a PersonalDataErased event names, and checkpoints the head', async () => {
    const [one, two, three] = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of [one, two, three]) await vault.seal(id, { name: `person ${id}` });
    await events.append(`journey-${one}`, [anEvent(), erased()], 'any');
    await events.append(`journey-${two}`, [anEvent({}, 'ConsentRecorded')], 'any');
    await events.append(`archive-${three}`, [erased()], 'any'); // not a journey stream
    const result = await enforcer().catchUp();
    expect(result).toEqual({ applied: 1, position: String(await events.headPosition()) });
    expect(isErasedDataKey((await keys.get(one))!)).toBe(true);
    expect(isErasedDataKey((await keys.get(two))!)).toBe(false);
    expect(isErasedDataKey((await keys.get(three))!)).toBe(false);
    expect(await keys.erasureCheckpoint()).toBe(result.position);
    expect(await enforcer().catchUp()).toEqual({ applied: 0, position: result.position });
  });

  it('reports a null position and saves nothing on an empty log', async () => {
    expect(await enforcer().catchUp()).toEqual({ applied: 0, position: null });
    expect(await keys.erasureCheckpoint()).toBeNull();
  });

  it('erases again after the key store is restored from a backup taken before the erasure', async () => {
    const journeyId = randomUUID();
    const sealed = await vault.seal(journeyId, { name: 'Ada Lovelace' });
    await events.append(`journey-${journeyId}`, [anEvent()], 'no_stream');
    await enforcer().catchUp();
    await keys.close();
    const backup = path.join(dataDir, 'keys-backup');
    fs.cpSync(keysDirectory(dataDir), backup, { recursive: true });
    await reopenKeys();

    await events.append(`journey-${journeyId}`, [erased()], 'any');
    expect((await enforcer().catchUp()).applied).toBe(1);
    expect(await vault.open(journeyId, sealed)).toEqual({ status: 'erased' });

    await keys.close();
    fs.rmSync(keysDirectory(dataDir), { recursive: true });
    fs.cpSync(backup, keysDirectory(dataDir), { recursive: true });
    await reopenKeys();
    expect((await vault.open(journeyId, sealed)).status).toBe('available'); // the restore brought the key back...
    vault.forget(journeyId);
    expect(await enforcer().catchUp()).toEqual({ applied: 1, position: String(await events.headPosition()) }); // ...catching up shreds it again
    expect(await vault.open(journeyId, sealed)).toEqual({ status: 'erased' });
  });

  it('checkpoints only past erasures it has applied, so a failure is retried from before it', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) await events.append(`journey-${id}`, [erased()], 'no_stream');
    const failing = Object.assign(Object.create(vault) as PersonalDataVault, {
      erase: async (journeyId: string) => {
        if (journeyId === ids[1]) throw new Error('key store unavailable');
        return vault.erase(journeyId);
      },
    });
    await expect(enforcer({ vault: failing, checkpointEvery: 1 }).catchUp()).rejects.toThrow('key store unavailable');
    expect(await keys.erasureCheckpoint()).toBe('0');
    expect(await enforcer().catchUp()).toEqual({ applied: 2, position: '2' });
  });

  it('follows the log live: an erasure recorded anywhere drops the key from this process and the store', async () => {
    const journeyId = randomUUID();
    const sealed = await vault.seal(journeyId, { name: 'Ada Lovelace' });
    const reader = new PersonalDataVault({ store: keys, keks }); // another process sharing the key store
    expect((await reader.open(journeyId, sealed)).status).toBe('available');
    const follower = enforcer({ vault: reader }).follow();
    await events.append(`journey-${journeyId}`, [erased()], 'any');
    await until(async () => (await reader.open(journeyId, sealed)).status === 'erased');
    expect(isErasedDataKey((await keys.get(journeyId))!)).toBe(true);
    await until(async () => (await keys.erasureCheckpoint()) === String(await events.headPosition()));
    await follower.stop();
  });

  it('reports a failure of the live loop to onError and from stop()', async () => {
    await events.append(`journey-${randomUUID()}`, [erased()], 'no_stream');
    const broken = Object.assign(Object.create(vault) as PersonalDataVault, {
      erase: async () => {
        throw new Error('boom');
      },
    });
    const errors: unknown[] = [];
    const follower = enforcer({ vault: broken }).follow((error) => errors.push(error));
    await until(async () => errors.length > 0);
    await expect(follower.stop()).rejects.toThrow('boom');
  });

  it('stops cleanly even before its subscription has started', async () => {
    await expect(enforcer().follow().stop()).resolves.toBeUndefined();
  });
});
