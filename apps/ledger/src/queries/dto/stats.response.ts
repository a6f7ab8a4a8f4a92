import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CertificationStats, StatsDimension } from '@ledger/read-models';

const DIMENSION_VALUE = { type: String, nullable: true, description: 'Present when grouped by it; null for certificates without a value' } as const;

/** The group's key: one property per dimension of `groupBy`, in that order. */
export class StatsKeyResponse implements Partial<Record<StatsDimension, string | null>> {
  @ApiPropertyOptional({ ...DIMENSION_VALUE, example: 'BC' }) state?: string | null;
  @ApiPropertyOptional({ ...DIMENSION_VALUE, example: 'Tijuana' }) municipality?: string | null;
  @ApiPropertyOptional({ ...DIMENSION_VALUE, example: 'Secretaría de Hacienda' }) agency?: string | null;
  @ApiPropertyOptional({ ...DIMENSION_VALUE, example: 'EC0105' }) standard?: string | null;
  @ApiPropertyOptional({ ...DIMENSION_VALUE, example: 'ECE322-18' }) provider?: string | null;
  @ApiPropertyOptional({ ...DIMENSION_VALUE, example: 'base' }) employment?: string | null;
  @ApiPropertyOptional({ ...DIMENSION_VALUE, description: 'Month of issue, YYYY-MM (UTC)', example: '2018-11' }) month?: string | null;
}

export class StatsGroupResponse {
  @ApiProperty({ type: StatsKeyResponse, description: 'Empty without groupBy: one group counts everything' }) key: StatsKeyResponse;
  @ApiProperty({ type: 'integer', example: 114 }) count: number;
}

export class CertificationStatsResponse implements CertificationStats {
  @ApiProperty({ type: [StatsGroupResponse] }) groups: StatsGroupResponse[];
  @ApiProperty({ description: 'The position the counts were computed at, as a decimal string', example: '1042' }) position: string;
}
