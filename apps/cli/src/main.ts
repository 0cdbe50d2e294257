import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { ConfigError } from '../../api/src/config';
import { StoreLockedError } from '../../../libs/event-store/src/errors';
import { ReadStoreLockedError } from '../../../libs/read-store/src/embedded/sqlite-file';
import { CliModule } from './cli.module';

/** The operator's command line: `npm run cli -- <command> [options]` (`--help` lists them). */
async function main(): Promise<void> {
  await CommandFactory.run(CliModule, {
    logger: ['error'],
    errorHandler: (error) => fail(error),
    serviceErrorHandler: (error) => fail(error),
  });
}

function fail(error: unknown): never {
  // Operators get the message; a stack only for what is not theirs to fix.
  const plain = error instanceof ConfigError || error instanceof StoreLockedError || error instanceof ReadStoreLockedError || (error instanceof Error && !(error instanceof TypeError));
  process.stderr.write(`${plain && error instanceof Error ? error.message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
}

void main();
