import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsFreeText } from '../../platform/http/free-text.validator';
import { ProgramTargetRequest } from '../launch-program/launch-program.request.dto';
import { CALENDAR_DATE, CALENDAR_DATE_MESSAGE } from '@ledger/platform';
import { MAX_TEXT_LENGTH } from '@ledger/domain';

export class ChangeProgramTargetRequest {
  @ApiProperty({ type: ProgramTargetRequest, description: 'The new target: `{count}` or `{share, workforce}`' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ProgramTargetRequest)
  target: ProgramTargetRequest;

  @ApiProperty({ example: 'Censo de la plantilla municipal, junio de 2018' })
  @IsString()
  @IsFreeText()
  @MaxLength(MAX_TEXT_LENGTH)
  reason: string;
}

export class ExtendProgramPeriodRequest {
  @ApiProperty({ example: '2019-06-30', description: 'The new last day of the period, after the current one' })
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  endsOn: string;

  @ApiProperty({ example: 'Acuerdo de cabildo del 14 de diciembre de 2018' })
  @IsString()
  @IsFreeText()
  @MaxLength(MAX_TEXT_LENGTH)
  reason: string;
}
