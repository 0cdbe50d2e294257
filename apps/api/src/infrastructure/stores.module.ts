import { DynamicModule, Global, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { Projector } from '../../../projector/src/projector';
import { ProjectionMonitor, StoredProjectionMonitor } from '../projections/projection-monitor';
import { AppConfig, projectorOptions } from '../config';
import { auditKeeperOptions } from '../audit/audit-keys';
import { closeStores, Stores } from './stores';
import { personalDataVault, pseudonymiser, requestHasher, tokenVerifier } from './security';
import { APP_CONFIG, DATA_KEY_STORE, EVENT_STORE, PERSONAL_DATA_VAULT, PROJECTOR, PSEUDONYMISER, READ_STORE, REQUEST_HASHER, TOKEN_VERIFIER } from './tokens';
import type { DataKeyStore } from '../../../../libs/personal-data/src/data-key-store.port';
import { ErasureEnforcer, ErasureFollower } from '../../../../libs/personal-data/src/erasure-enforcer';
import type { PersonalDataVault } from '../../../../libs/personal-data/src/personal-data-vault';

/**
 * Binds the ports to opened stores and runs the projector inside this process (the embedded
 * default: SQLite event store and read store in DATA_DIR; EventStoreDB and MongoDB adapters
 * plug in by configuration). The module owns the stores from then on and closes them.
 */
@Global()
@Module({})
export class StoresModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Stores');
  private readonly enforcer: ErasureEnforcer;
  private erasureFollower: ErasureFollower | undefined;
  private erasureRestart: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PROJECTOR) private readonly projector: ProjectionMonitor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATA_KEY_STORE) private readonly dataKeys: DataKeyStore,
    @Inject(PERSONAL_DATA_VAULT) vault: PersonalDataVault,
  ) {
    this.enforcer = new ErasureEnforcer({ events, vault, store: dataKeys });
  }

  static with(config: AppConfig, stores: Stores): DynamicModule {
    return {
      module: StoresModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: stores.events },
        { provide: READ_STORE, useValue: stores.readStore },
        { provide: DATA_KEY_STORE, useValue: stores.dataKeys },
        { provide: PERSONAL_DATA_VAULT, useValue: personalDataVault(config, stores.dataKeys) },
        { provide: PSEUDONYMISER, useValue: pseudonymiser(config) },
        { provide: TOKEN_VERIFIER, useValue: tokenVerifier(config) },
        { provide: REQUEST_HASHER, useValue: requestHasher(config) },
        {
          provide: PROJECTOR,
          inject: [EVENT_STORE, READ_STORE],
          useFactory: (events: EventStore, readStore: ReadStore): ProjectionMonitor =>
            config.projectorInProcess
              ? new Projector(events, readStore, { ...projectorOptions(config), audit: auditKeeperOptions(config) })
              : new StoredProjectionMonitor(readStore),
        },
      ],
      exports: [APP_CONFIG, EVENT_STORE, READ_STORE, PROJECTOR, DATA_KEY_STORE, PERSONAL_DATA_VAULT, PSEUDONYMISER, TOKEN_VERIFIER, REQUEST_HASHER],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    // Erasures recorded since the key store's checkpoint (a crash mid-erasure, a restored
    // key-store backup) are applied before any request is served.
    const erasures = await this.enforcer.catchUp();
    if (erasures.applied > 0) this.logger.warn(`Re-applied ${erasures.applied} erasure(s) the key store had not yet applied`);
    this.followErasures();
    if (this.projector instanceof Projector) await this.projector.start();
    const events = this.config.eventStoreConnectionString ? 'EventStoreDB' : `embedded event store in ${this.config.dataDir}`;
    const reads = this.config.mongodbUri ? 'MongoDB read models' : `embedded read store in ${this.config.dataDir}`;
    this.logger.log(`${events}; ${reads}; projector ${this.projector instanceof Projector ? 'in this process' : 'in its own process'}`);
  }

  /** Follows erasures live (others processes' too), restarting after a failure with a pause. */
  private followErasures(): void {
    if (this.stopping) return;
    this.erasureFollower = this.enforcer.follow((error) => {
      this.logger.warn(`Following erasures failed, resuming shortly: ${error instanceof Error ? error.message : String(error)}`);
      this.erasureRestart = setTimeout(() => this.followErasures(), this.config.projectorRetryMaxMs);
    });
  }

  /** Projections stop first (their last batch commits), then the stores close. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.erasureRestart);
    await this.erasureFollower?.stop().catch(() => undefined);
    if (this.projector instanceof Projector) await this.projector.stop();
    await closeStores({ events: this.events, readStore: this.readStore, dataKeys: this.dataKeys });
  }
}
