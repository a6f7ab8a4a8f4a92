import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RecordsAccess } from '../access-log/access-log.interceptor';
import { SubjectIdPipe } from '../commands/shared/route-params';
import { CommandEndpoint } from '../commands/shared/command-endpoint.decorator';
import { PositionResponse } from '../commands/shared/command-responses';
import { Roles } from '../platform/auth/roles.decorator';
import { NoQueryParametersInterceptor } from '../platform/http/no-query-parameters.interceptor';
import { CallerOfCommand, type CommandCaller } from '../platform/idempotency/command-caller';
import { BEARER_SCHEME } from '../platform/openapi/openapi';
import { HEADERS_TOO_LARGE_ANSWER, problemAnswer, RATE_LIMITED_ANSWER, RETRY_AFTER_HEADER, UNAUTHENTICATED_ANSWER } from '../platform/openapi/openapi-answers';
import { SUBJECT_ID_PARAM } from '../platform/openapi/route-parameters';
import { PrivacyOffice } from './privacy-office';
import { ErasureRequest, PersonLookupRequest, RectificationRequest } from './privacy.request.dto';
import { ErasureResponse, PersonalDataResponse, PersonLookupResponse } from './privacy.response';

/** The error answers of the two reads; the writes document theirs through CommandEndpoint. */
function ReadErrors(): MethodDecorator {
  return applyDecorators(
    ApiResponse(problemAnswer(400, 'VALIDATION_FAILED naming the field (curp, subjectId)')),
    ApiResponse(UNAUTHENTICATED_ANSWER),
    ApiResponse(problemAnswer(403, 'ROLE_NOT_ALLOWED: only the privacy office')),
    ApiResponse(problemAnswer(404, 'PERSON_NOT_FOUND')),
    ApiResponse(RATE_LIMITED_ANSWER),
    ApiResponse(HEADERS_TOO_LARGE_ANSWER),
    ApiResponse(problemAnswer(503, 'STORE_UNAVAILABLE or ACCESS_LOG_UNAVAILABLE: nothing was shown; ask again after Retry-After', RETRY_AFTER_HEADER)),
  );
}

/** What a read with a body can also answer: the body refused before it is read. */
function BodyErrors(): MethodDecorator {
  return applyDecorators(
    ApiResponse(problemAnswer(413, 'PAYLOAD_TOO_LARGE: the body is over 1 MB')),
    ApiResponse(problemAnswer(415, 'UNSUPPORTED_MEDIA_TYPE: a body that is not JSON')),
  );
}

/** The privacy office's ARCO routes (API.md "Privacy office"): the privacy role only. Every read is recorded in the access log. */
@ApiTags('privacy')
@Controller('v1/people')
export class PrivacyHttpController {
  constructor(private readonly office: PrivacyOffice) {}

  @Post('lookup')
  @HttpCode(200)
  @Roles('privacy')
  @UseInterceptors(NoQueryParametersInterceptor)
  @RecordsAccess((answer: PersonLookupResponse) => [answer.subjectId])
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiOperation({ operationId: 'lookupPerson', summary: 'The subjectId of a CURP (in the body, never in a URL), for an ARCO request' })
  @ApiOkResponse({ type: PersonLookupResponse })
  @ReadErrors()
  @BodyErrors()
  lookup(@Body() request: PersonLookupRequest): Promise<PersonLookupResponse> {
    return this.office.lookup(request.curp);
  }

  @Get(':subjectId/personal-data')
  @ApiParam(SUBJECT_ID_PARAM)
  @Roles('privacy')
  @UseInterceptors(NoQueryParametersInterceptor)
  @RecordsAccess((_answer: PersonalDataResponse, params) => [params.subjectId])
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiOperation({ operationId: 'getPersonalData', summary: 'ARCO access: the personal data the ledger holds about the person and every certificate about them' })
  @ApiOkResponse({ type: PersonalDataResponse })
  @ReadErrors()
  personalData(@Param('subjectId', SubjectIdPipe) subjectId: string): Promise<PersonalDataResponse> {
    return this.office.personalData(subjectId);
  }

  @Post(':subjectId/rectifications')
  @ApiParam(SUBJECT_ID_PARAM)
  @CommandEndpoint(201, 'privacy')
  @ApiOperation({ operationId: 'rectifyPersonalData', summary: 'ARCO rectification: a new event with the corrected name; history keeps the old one' })
  @ApiCreatedResponse({ type: PositionResponse })
  rectify(@Param('subjectId', SubjectIdPipe) subjectId: string, @Body() request: RectificationRequest, @CallerOfCommand() caller: CommandCaller): Promise<PositionResponse> {
    return this.office.rectify(subjectId, request, caller);
  }

  @Post(':subjectId/erasure')
  @ApiParam(SUBJECT_ID_PARAM)
  @CommandEndpoint(201, 'privacy')
  @ApiOperation({
    operationId: 'erasePersonalData',
    summary: 'ARCO cancellation: destroys the data key (nothing can bring the data back) and records PersonalDataErased; certificates stay, the name reads [erased]',
  })
  @ApiCreatedResponse({ type: ErasureResponse })
  erase(@Param('subjectId', SubjectIdPipe) subjectId: string, @Body() request: ErasureRequest, @CallerOfCommand() caller: CommandCaller): Promise<ErasureResponse> {
    return this.office.erase(subjectId, request, caller);
  }
}
