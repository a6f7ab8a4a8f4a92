import { Module } from '@nestjs/common';
import { HealthController, Readiness } from './health.controller';

@Module({ controllers: [HealthController], providers: [Readiness] })
export class HealthModule {}
