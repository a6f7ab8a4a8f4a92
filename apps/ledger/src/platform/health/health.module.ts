import { Module } from '@nestjs/common';
import { EventStoreLiveness, Health, HealthController, Readiness } from './health.controller';
import { ReadinessHttpController } from './readiness.http.controller';
import { ReadSideHealth } from './read-side-health';

@Module({
  controllers: [HealthController, ReadinessHttpController],
  providers: [Readiness, EventStoreLiveness, Health, ReadSideHealth],
  exports: [Health, EventStoreLiveness],
})
export class HealthModule {}
