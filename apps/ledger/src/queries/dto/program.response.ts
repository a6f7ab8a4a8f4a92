import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { ProgramTarget } from '@ledger/domain';
import type { MonthOfProgress, ProgramAmendment, ProgramListItem, ProgramPace, ProgramProgressView, ProgramView } from '@ledger/read-models';
import { IsLedgerPosition, POSITION_SCHEMA, ReadQuery } from './read-query.dto';
import { CALENDAR_DATE, CALENDAR_DATE_MESSAGE } from '@ledger/platform';

export class ProgramProgressQuery extends ReadQuery {
  @ApiPropertyOptional({ description: 'The business date the progress describes; default today (UTC)', example: '2018-09-30' })
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: `asOf ${CALENDAR_DATE_MESSAGE}` })
  asOf?: string;

  @ApiPropertyOptional({ ...POSITION_SCHEMA, description: 'Only what the ledger knew at this position; default: as far as the read models have got' })
  @IsOptional()
  @IsLedgerPosition()
  atPosition?: string;
}

export class ProgramJurisdictionResponse {
  @ApiProperty({ example: 'BC' }) state: string;
  @ApiProperty({ type: String, nullable: true, example: 'Tijuana' }) municipality: string | null;
}

export class ProgramTargetResponse {
  @ApiPropertyOptional({ type: 'integer', example: 600, description: 'A count of public servants' }) count?: number;
  @ApiPropertyOptional({ example: 0.5, description: 'A fraction of the workforce' }) share?: number;
  @ApiPropertyOptional({ type: 'integer', example: 16_270, description: 'The workforce the share is of' }) workforce?: number;
}

export class ProgramResponse implements ProgramView {
  @ApiProperty({ example: 'tijuana-2018' }) programId: string;
  @ApiProperty({ example: 'Certificación de servidores públicos del Ayuntamiento de Tijuana 2018' }) name: string;
  @ApiProperty({ type: ProgramJurisdictionResponse }) jurisdiction: ProgramJurisdictionResponse;
  @ApiProperty({ type: [String], example: ['EC0105'] }) standards: string[];
  @ApiProperty({ example: '2018-01-01' }) startsOn: string;
  @ApiProperty({ example: '2018-12-31' }) endsOn: string;
  @ApiProperty({ type: ProgramTargetResponse, description: '`{count}` or `{share, workforce}`' }) target: ProgramTarget;
  @ApiProperty({ type: 'integer', example: 600, description: 'Certified public servants the target asks for (a share rounds up)' }) targetCount: number;
  @ApiProperty({ example: '2018-01-10T16:00:00.000Z' }) launchedAt: string;
  @ApiProperty({ ...POSITION_SCHEMA, description: "Position of the program's latest event" }) position: string;
}

export class ProgramListItemResponse extends ProgramResponse implements ProgramListItem {
  @ApiProperty({ type: 'integer', example: 410, description: 'Certified public servants as of today' }) certified: number;
  @ApiProperty({ example: 0.6833, description: 'certified / targetCount, to four decimals' }) shareOfTarget: number;
}

export class ProgramListResponse {
  @ApiProperty({ type: [ProgramListItemResponse] }) items: ProgramListItemResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' }) nextCursor: string | null;
}

export class ProgramAmendmentResponse implements ProgramAmendment {
  @ApiProperty(POSITION_SCHEMA) position: string;
  @ApiProperty({ enum: ['ProgramTargetChanged', 'ProgramPeriodExtended'] }) change: ProgramAmendment['change'];
  @ApiProperty({ example: 'Censo de la plantilla municipal' }) reason: string;
  @ApiProperty({ example: '2018-06-01T16:00:00.000Z' }) changedAt: string;
  @ApiProperty({ type: ProgramTargetResponse, description: 'The target after this amendment' }) target: ProgramTarget;
  @ApiProperty({ example: '2018-12-31', description: 'The last day of the period after this amendment' }) endsOn: string;
}

export class MonthOfProgressResponse implements MonthOfProgress {
  @ApiProperty({ example: '2018-09', description: 'YYYY-MM (UTC)' }) month: string;
  @ApiProperty({ type: 'integer', example: 179, description: 'Public servants first certified for the program that month' }) certified: number;
  @ApiProperty({ type: 'integer', example: 410 }) cumulative: number;
}

export class ProgramPaceResponse implements ProgramPace {
  @ApiProperty({ type: 'integer', example: 273 }) elapsedDays: number;
  @ApiProperty({ type: 'integer', example: 92 }) remainingDays: number;
  @ApiProperty({ example: 1.5 }) certifiedPerDay: number;
  @ApiProperty({ type: 'integer', example: 548, description: 'Certified by the end of the period at the pace so far' }) projectedAtEnd: number;
  @ApiProperty({ example: 0.9133 }) projectedShareOfTarget: number;
  @ApiProperty({ example: false }) onTrack: boolean;
  @ApiProperty({ type: Number, nullable: true, example: 2.07, description: 'Needed per remaining day to reach the target; null once the period is over' })
  neededPerDay: number | null;
}

export class ProgramProgressResponse implements ProgramProgressView {
  @ApiProperty({ type: ProgramResponse, description: 'The program as known at the position' }) program: ProgramResponse;
  @ApiProperty({ type: [ProgramAmendmentResponse], description: 'Amendments known at the position, in order' }) amendments: ProgramAmendmentResponse[];
  @ApiProperty({ example: '2018-09-30' }) asOf: string;
  @ApiProperty({ ...POSITION_SCHEMA, description: 'The position the progress was computed at' }) position: string;
  @ApiProperty({ type: 'integer', example: 410, description: 'Distinct public servants certified for the program (revoked certificates excluded)' }) certified: number;
  @ApiProperty({ type: 'integer', example: 410 }) certificates: number;
  @ApiProperty({ example: 0.6833 }) shareOfTarget: number;
  @ApiProperty({ type: [MonthOfProgressResponse], description: 'Every month of the period up to asOf' }) byMonth: MonthOfProgressResponse[];
  @ApiProperty({ type: ProgramPaceResponse, nullable: true, description: 'Null before the period starts' }) pace: ProgramPaceResponse | null;
}
