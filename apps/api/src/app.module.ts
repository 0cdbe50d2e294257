import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { AppConfig } from './config';
import { HealthController } from './health/health.controller';
import { ProjectionsController } from './projections/projections.controller';
import type { Stores } from './infrastructure/stores';
import { StoresModule } from './infrastructure/stores.module';
import { JourneysController } from './journeys/journeys.controller';
import { GetJourneyHandler } from './journeys/reading/get-journey.query';
import { ListJourneysHandler } from './journeys/reading/list-journeys.query';
import { RecordJourneyStepHandler } from './journeys/recording/record-journey-step.handler';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, stores: Stores): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), StoresModule.with(config, stores)],
      controllers: [JourneysController, HealthController, ProjectionsController],
      providers: [RecordJourneyStepHandler, GetJourneyHandler, ListJourneysHandler],
    };
  }
}
