import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CERTIFICATE_STATUSES, type CertificateFilters, type CertificateStatus } from '@ledger/read-models';
import { IsLedgerPosition, PageQuery, POSITION_SCHEMA, QUERY_TEXT, QUERY_TEXT_MESSAGE, ReadQuery } from './read-query.dto';
import { INSTANT, INSTANT_MESSAGE } from '@ledger/platform';

const EMPLOYMENTS = ['base', 'confianza', 'honorarios', 'other'];

/**
 * The certificate filters of API.md, shared by the list, statistics and the
 * transparency report. Declared once as a mixin so each query class gets the
 * same validation and OpenAPI description.
 */
function withCertificateFilters<TBase extends new (...args: any[]) => object>(Base: TBase) {
  class WithFilters extends Base implements CertificateFilters {
    @ApiPropertyOptional({ description: 'Standard code', example: 'EC0105' })
    @IsOptional()
    @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
    standard?: string;

    @ApiPropertyOptional({ description: 'State code of the jurisdiction', example: 'BC' })
    @IsOptional()
    @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
    state?: string;

    @ApiPropertyOptional({ example: 'Tijuana' })
    @IsOptional()
    @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
    municipality?: string;

    @ApiPropertyOptional({ example: 'Secretaría de Hacienda' })
    @IsOptional()
    @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
    agency?: string;

    @ApiPropertyOptional({ example: 'ECE322-18' })
    @IsOptional()
    @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
    providerId?: string;

    @ApiPropertyOptional()
    @IsOptional()
    @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
    evaluatorId?: string;

    @ApiPropertyOptional({ enum: EMPLOYMENTS })
    @IsOptional()
    @IsIn(EMPLOYMENTS)
    employment?: string;

    @ApiPropertyOptional({ enum: CERTIFICATE_STATUSES })
    @IsOptional()
    @IsIn(CERTIFICATE_STATUSES as string[])
    status?: CertificateStatus;

    @ApiPropertyOptional({ description: 'Issued on or after (date or instant)', example: '2018-01-01' })
    @IsOptional()
    @Matches(INSTANT, { message: INSTANT_MESSAGE })
    issuedFrom?: string;

    @ApiPropertyOptional({ description: 'Issued on or before (a date covers the whole day)', example: '2018-12-31' })
    @IsOptional()
    @Matches(INSTANT, { message: INSTANT_MESSAGE })
    issuedTo?: string;
  }
  return WithFilters;
}

export class ListCertificatesQuery extends withCertificateFilters(PageQuery) {
  @ApiPropertyOptional({ description: 'The folio printed on a paper certificate issued before the ledger (`ledger import`)', example: 'D-2017/000123' })
  @IsOptional()
  @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
  printedFolio?: string;
}

export class CertificationStatsQuery extends withCertificateFilters(ReadQuery) {
  @ApiPropertyOptional({
    description: 'Comma-separated dimensions, in key order: state, municipality, agency, standard, provider, employment, month',
    example: 'state,employment',
  })
  @IsOptional()
  @Matches(/^[a-z,]{1,100}$/, { message: 'must be a comma-separated list of dimension names' })
  groupBy?: string;
}

export class TransparencyReportQuery extends withCertificateFilters(ReadQuery) {
  // Required; checked by the report itself, which names asOf when it is missing.
  @ApiProperty({ required: true, description: 'Business date (or instant) the report describes', example: '2018-11-13' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  asOf?: string;

  @ApiPropertyOptional({ ...POSITION_SCHEMA, description: 'Only what the ledger knew at this position; default: as far as the read models have got' })
  @IsOptional()
  @IsLedgerPosition()
  atPosition?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** The filters alone, without paging or report parameters, for the query services. */
export function certificateFiltersOf(query: CertificateFilters): CertificateFilters {
  const { standard, state, municipality, agency, providerId, evaluatorId, employment, status, issuedFrom, issuedTo } = query;
  return { standard, state, municipality, agency, providerId, evaluatorId, employment, status, issuedFrom, issuedTo };
}
