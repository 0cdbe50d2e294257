import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AnalyticsController } from './analytics/analytics.controller';
import { DecisionsAnalyticsController } from './analytics/decisions.controller';
import { OutcomesAnalyticsController } from './analytics/outcomes.controller';
import { VolumeAnalyticsController } from './analytics/volume.controller';
import { AccessGuard } from './auth/access.guard';
import { AuditController } from './audit/audit.controller';
import { ErasePersonalDataHandler } from './personal-data/erase-personal-data.handler';
import { PersonalDataController } from './personal-data/personal-data.controller';
import { ReadPersonalDetailsHandler } from './personal-data/read-personal-details.query';
import type { AppConfig } from './config';
import { HealthController } from './health/health.controller';
import { ProjectionsController } from './projections/projections.controller';
import type { Stores } from './infrastructure/stores';
import { StoresModule } from './infrastructure/stores.module';
import { JourneysController } from './journeys/journeys.controller';
import { MetricsController } from './operations/metrics.controller';
import { GetJourneyHandler } from './journeys/reading/get-journey.query';
import { ListJourneysHandler } from './journeys/reading/list-journeys.query';
import { RecordJourneyStepHandler } from './journeys/recording/record-journey-step.handler';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, stores: Stores): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), StoresModule.with(config, stores)],
      controllers: [
        JourneysController, PersonalDataController, AuditController, HealthController, ProjectionsController,
        AnalyticsController, VolumeAnalyticsController, DecisionsAnalyticsController, OutcomesAnalyticsController,
        // With METRICS_PORT, metrics are on the operator port only (operations/metrics.ts).
        ...(config.metricsPort === undefined ? [MetricsController] : []),
      ],
      providers: [
        // Every route passes the access guard: no policy, no entry.
        { provide: APP_GUARD, useClass: AccessGuard },
        RecordJourneyStepHandler, ErasePersonalDataHandler, GetJourneyHandler, ListJourneysHandler, ReadPersonalDetailsHandler,
      ],
    };
  }
}
