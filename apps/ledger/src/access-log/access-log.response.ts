import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '@ledger/read-models';
import type { AccessLogEntryView } from './access-log.store';

class AccessLogActorResponse {
  @ApiProperty({ description: 'The token subject that read', example: 'auditor-1' }) id: string;
  @ApiProperty({ example: 'comptroller' }) role: string;
  @ApiProperty({ description: 'The organization it acted for', example: 'SECOGEF' }) organizationId: string;
  @ApiProperty({ type: String, nullable: true, description: "A scoped comptroller's state", example: 'QR' }) jurisdiction: string | null;
}

export class AccessLogEntryResponse implements AccessLogEntryView {
  @ApiProperty({ description: 'The order entries were written in, as a decimal string', example: '1042' }) entryId: string;
  @ApiProperty({ format: 'date-time', description: 'When the answer was given', example: '2026-12-01T10:00:00.000Z' }) readAt: string;
  @ApiProperty({ type: AccessLogActorResponse }) actor: AccessLogActorResponse;
  @ApiProperty({ description: 'The route pattern the answer came from', example: '/v1/certificates/{folio}' }) route: string;
  @ApiProperty({ description: "The answer's X-Correlation-Id" }) correlationId: string;
  @ApiProperty({ type: [String], description: 'The subjects the answer showed (a list page: those on the page); never a CURP or a name' }) subjectIds: string[];
}

export class AccessLogPageResponse implements Page<AccessLogEntryView> {
  @ApiProperty({ type: [AccessLogEntryResponse] }) items: AccessLogEntryResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor: string | null;
}
