import { Module } from '@nestjs/common';
import { LogAnswers } from './log-answers';
import { LogHttpController } from './log.http.controller';

/** The verifiable log's routes (`/v1/log/*`). Its builder and signer run with the projector (ReadSideModule, apps/projector). */
@Module({ controllers: [LogHttpController], providers: [LogAnswers] })
export class LogModule {}
