import { DynamicModule, Global, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { Projector } from '../../../projector/src/projector';
import { ProjectionMonitor, StoredProjectionMonitor } from '../projections/projection-monitor';
import { AppConfig, projectorOptions } from '../config';
import { closeStores, Stores } from './stores';
import { APP_CONFIG, EVENT_STORE, PROJECTOR, READ_STORE } from './tokens';

/**
 * Binds the ports to opened stores and runs the projector inside this process (the embedded
 * default: SQLite event store and read store in DATA_DIR; EventStoreDB and MongoDB adapters
 * plug in by configuration). The module owns the stores from then on and closes them.
 */
@Global()
@Module({})
export class StoresModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Stores');

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PROJECTOR) private readonly projector: ProjectionMonitor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  static with(config: AppConfig, stores: Stores): DynamicModule {
    return {
      module: StoresModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: stores.events },
        { provide: READ_STORE, useValue: stores.readStore },
        {
          provide: PROJECTOR,
          inject: [EVENT_STORE, READ_STORE],
          useFactory: (events: EventStore, readStore: ReadStore): ProjectionMonitor =>
            config.projectorInProcess ? new Projector(events, readStore, projectorOptions(config)) : new StoredProjectionMonitor(readStore),
        },
      ],
      exports: [APP_CONFIG, EVENT_STORE, READ_STORE, PROJECTOR],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.projector instanceof Projector) await this.projector.start();
    const events = this.config.eventStoreConnectionString ? 'EventStoreDB' : `embedded event store in ${this.config.dataDir}`;
    const reads = this.config.mongodbUri ? 'MongoDB read models' : `embedded read store in ${this.config.dataDir}`;
    this.logger.log(`${events}; ${reads}; projector ${this.projector instanceof Projector ? 'in this process' : 'in its own process'}`);
  }

  /** Projections stop first (their last batch commits), then the stores close. */
  async onApplicationShutdown(): Promise<void> {
    if (this.projector instanceof Projector) await this.projector.stop();
    await closeStores({ events: this.events, readStore: this.readStore });
  }
}
