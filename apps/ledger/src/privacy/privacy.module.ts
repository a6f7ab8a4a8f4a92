import { Module } from '@nestjs/common';
import { AccessLogModule } from '../access-log/access-log.module';
import { EventSourcedRepository } from '../commands/shared/event-sourced-repository';
import { SubjectIds } from '../commands/shared/keyed-ids';
import { PrivacyOffice } from './privacy-office';
import { PrivacyHttpController } from './privacy.http.controller';

/** The privacy office's ARCO routes; the vault comes from the global PersonalDataModule. */
@Module({
  imports: [AccessLogModule],
  controllers: [PrivacyHttpController],
  providers: [PrivacyOffice, EventSourcedRepository, SubjectIds],
})
export class PrivacyModule {}
