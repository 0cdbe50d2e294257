/**
 * The whole API in a child process, for the disk-fault and single-writer tests: configured by
 * its environment like the real entry (DATA_DIR and the rest), but listening on 127.0.0.1 on a
 * port the system picks, which it prints as one line, `listening <port>`. Test-only: it is the
 * same createApp as apps/api/src/main.ts, with no hook of its own. On SIGTERM it runs Nest's own
 * shutdown hooks (the stores close, then the signal is raised again, so it ends by SIGTERM, as
 * disk-faults.spec.ts expects), not main.ts's graceful shutdown (graceful-shutdown.spec.ts runs
 * main.ts itself).
 */
import 'reflect-metadata';
import { createApp } from '../../../apps/api/src/app.factory';
import { loadConfig } from '../../../apps/api/src/config';

async function main(): Promise<void> {
  // No periodic audit heads (they would append to the log the tests compare), quiet logs; the environment may say otherwise.
  const config = loadConfig({ LOG_LEVEL: 'error', AUDIT_HEAD_INTERVAL_MS: '0', ...process.env, PORT: '0', HOST: '127.0.0.1' });
  const app = await createApp(config);
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.stdout.write(`listening ${port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
