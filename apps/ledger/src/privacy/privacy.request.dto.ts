import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_ARCO_REASON_LENGTH, MAX_REQUEST_FOLIO_LENGTH } from '@ledger/domain';
import { IsFreeText } from '../platform/http/free-text.validator';
import { IsCurp } from './curp.validator';

/** The CURP travels in the body, never in a URL (URLs are logged by every proxy on the way). */
export class PersonLookupRequest {
  @ApiProperty({ description: 'Personal data: used to derive the subjectId, never stored or logged', example: 'LOOA531113HTCPBN07' })
  @IsString()
  @IsFreeText()
  @MaxLength(64)
  @IsCurp()
  curp: string;
}

export class RectificationRequest {
  @ApiProperty({ description: 'Personal data: the corrected name, stored encrypted on the person stream' })
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ description: "Why, as the holder's request says; stored encrypted with the name", example: 'Acta de nacimiento presentada por el titular' })
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(MAX_ARCO_REASON_LENGTH)
  reason: string;
}

export class ErasureRequest {
  @ApiProperty({ description: 'Why the data is cancelled. Stored in plaintext in the erasure event: write no personal data here', example: 'Cancelación solicitada por el titular (art. 46 LGPDPPSO)' })
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(MAX_ARCO_REASON_LENGTH)
  reason: string;

  @ApiProperty({ description: "The holder's ARCO request, as the privacy office numbers it", example: 'UT/ARCO/2024/0153' })
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(MAX_REQUEST_FOLIO_LENGTH)
  requestFolio: string;
}
