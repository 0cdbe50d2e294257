/**
 * Issue 10, "Prove nothing is lost": one process at a time writes a data folder. While the API
 * holds a folder, a second API, or the CLI, started on it stops at once with a message that
 * names the folder and says another process has it open, and changes nothing; the first keeps
 * serving. The refusal comes from SQLite's exclusive locks (StoreLockedError), which the
 * operating system releases when the holder ends: then the folder opens again.
 */
import { identification } from '../../seeds/journey-requests';
import { API_MAIN, Child, CLI_MAIN, type ApiChild, jsonClient, killAllChildren, startApiChild, temporaryFolders, within, workerToken } from './api-child';

/** How long a refused process may take, start-up included: generous for a loaded 2-core machine. */
const REFUSED_WITHIN_MS = 20_000;

async function refused(child: Child): Promise<void> {
  const exit = await within(child.exited, REFUSED_WITHIN_MS, 'still running');
  expect([exit, child.output()]).toEqual([{ code: 1, signal: null }, expect.any(String)]);
}

describe('a data folder has one writer at a time', () => {
  const folders = temporaryFolders('vjt-single-writer-');
  const dataDir = folders.make();
  let first: ApiChild;
  let http: ReturnType<typeof jsonClient>;
  let journey: { journeyId: string; position: string };
  /** What a second process must say: the folder by name, and that another process has it. */
  const inUse = new RegExp(`The data folder ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another process`);

  beforeAll(async () => {
    first = await startApiChild(dataDir);
    http = jsonClient(first.url, workerToken(dataDir));
    const created = await http.post('/journeys', identification());
    expect(created.status).toBe(201);
    journey = created.body;
  }, 60_000);

  afterAll(async () => {
    await killAllChildren();
    folders.removeAll();
  });

  it('refuses a second API on the folder with a clear message, and the first keeps serving', async () => {
    // The real entry point, as an operator would start it.
    const second = Child.spawn(API_MAIN, [], { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error' });
    await refused(second);
    expect(second.stderr).toMatch(inUse);
    expect(second.stderr).toMatch(/Only one process may write to a data folder: stop the other one or choose another DATA_DIR/);
    expect(second.stderr).not.toMatch(/\n\s+at /); // a message for the operator, no stack trace
    expect(second.stdout).not.toMatch(/listening/);

    const health = await http.get('/health');
    expect([health.status, health.body.eventStore.headPosition]).toEqual([200, journey.position]);
    expect((await http.get(`/journeys/${journey.journeyId}?minPosition=${journey.position}`)).status).toBe(200);
    const next = await http.post('/journeys', identification());
    expect(next.status).toBe(201);
    journey = next.body;
  }, 40_000);

  it('refuses the CLI on a folder the API holds, and nothing is written', async () => {
    const seed = Child.spawn(CLI_MAIN, ['seed', '--journeys', '3', '--no-project'], { DATA_DIR: dataDir });
    await refused(seed);
    expect(seed.stderr).toMatch(inUse);
    expect(seed.stderr).not.toMatch(/\n\s+at /);
    expect((await http.get('/health')).body.eventStore.headPosition).toBe(journey.position);
  }, 40_000);

  it('opens the folder again once the first process has ended, with everything in it', async () => {
    await first.child.stop();
    const again = await startApiChild(dataDir);
    const api = jsonClient(again.url, workerToken(dataDir));
    expect((await api.get('/health')).body.eventStore.headPosition).toBe(journey.position);
    expect((await api.get(`/journeys/${journey.journeyId}?minPosition=${journey.position}`)).status).toBe(200);
    await again.child.stop();
  }, 40_000);
});
