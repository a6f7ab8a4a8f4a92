import { Module } from '@nestjs/common';
import { HealthController, Readiness } from './health.controller';
import { ReadinessHttpController } from './readiness.http.controller';
import { ReadSideHealth } from './read-side-health';

@Module({ controllers: [HealthController, ReadinessHttpController], providers: [Readiness, ReadSideHealth] })
export class HealthModule {}
