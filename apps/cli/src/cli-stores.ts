import { Injectable } from '@nestjs/common';
import { AppConfig, loadConfig } from '../../api/src/config';
import { closeStores, openStores, Stores } from '../../api/src/infrastructure/stores';
import { personalDataVault } from '../../api/src/infrastructure/security';
import type { PersonalDataVault } from '../../../libs/personal-data/src/personal-data-vault';

/** The stores, and the vault that seals personal data with the key store's keys. */
export type CliStoresInUse = Stores & { vault: PersonalDataVault };

/**
 * The stores the configuration names, opened for one command and closed after it. On the
 * embedded default the API must be stopped first: a data folder has one process at a time.
 */
@Injectable()
export class CliStores {
  readonly config: AppConfig = loadConfig();

  async use<T>(work: (stores: CliStoresInUse) => Promise<T>): Promise<T> {
    const stores = await openStores(this.config);
    try {
      return await work({ ...stores, vault: personalDataVault(this.config, stores.dataKeys) });
    } finally {
      await closeStores(stores);
    }
  }
}

/** Prints a command's result: JSON with --json, otherwise the human lines. */
export function report(json: boolean, result: unknown, lines: () => string[]): void {
  if (json) process.stdout.write(`${JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
  else process.stdout.write(`${lines().join('\n')}\n`);
}
