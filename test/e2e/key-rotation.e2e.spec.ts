import { randomBytes } from 'node:crypto';
import { identification } from '../../seeds/journey-requests';
import { useRunningApp } from '../support/running-app';

/** Changing the key-encryption key: old keys still unwrap, rotation rewraps them, then the old key can go. */
describe('key-encryption key rotation', () => {
  const oldKek = randomBytes(32).toString('base64');
  const newKek = randomBytes(32).toString('hex');
  let env: Record<string, string> = { KEY_ENCRYPTION_KEY: oldKek };
  const app = useRunningApp(() => env);
  const admin = () => app.as({ role: 'admin' });
  const nameOf = async (id: string) => (await app.api.get(`/journeys/${id}/personal-details`, { 'x-purpose': 'case_management' })).body.personalDetails?.name;

  it('reads through a rotation, and without the old key once it is done', async () => {
    const ids: string[] = [];
    for (const name of ['Ana One', 'Bo Two', 'Cy Three']) {
      ids.push((await app.api.post('/journeys', identification({ personalDetails: { name } }))).body.journeyId);
    }
    env = { KEY_ENCRYPTION_KEY: newKek, KEY_ENCRYPTION_KEYS_PREVIOUS: oldKek };
    await app.restart();
    expect(await nameOf(ids[0])).toBe('Ana One');
    expect((await app.api.post('/keys/rotation', {})).status).toBe(403);
    const rotated = await admin().post('/keys/rotation', {});
    expect(rotated.body).toEqual({ rewrapped: 3 });
    expect((await admin().post('/keys/rotation', {})).body).toEqual({ rewrapped: 0 });

    env = { KEY_ENCRYPTION_KEY: newKek };
    await app.restart();
    expect(await Promise.all(ids.map(nameOf))).toEqual(['Ana One', 'Bo Two', 'Cy Three']);
  });

  it('refuses to start with a key-encryption key that is not 32 bytes, naming the variable', async () => {
    env = { KEY_ENCRYPTION_KEY: 'c2hvcnQ=' };
    await expect(app.restart()).rejects.toThrow(/KEY_ENCRYPTION_KEY/);
    env = { KEY_ENCRYPTION_KEY: newKek };
    await app.restart().catch(() => undefined);
  });
});
