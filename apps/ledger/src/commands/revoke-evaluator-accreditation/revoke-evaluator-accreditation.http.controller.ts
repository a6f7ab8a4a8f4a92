import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { EVALUATOR_ID_PARAM } from '../../platform/openapi/route-parameters';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { PositionResponse } from '../shared/command-responses';
import { IdentifierPipe } from '../shared/route-params';
import { RevokeEvaluatorAccreditationCommand } from './revoke-evaluator-accreditation.command';
import { RevokeEvaluatorAccreditationRequest } from './revoke-evaluator-accreditation.request.dto';

@ApiTags('evaluators')
@Controller('v1/evaluators/:evaluatorId/revocations')
export class RevokeEvaluatorAccreditationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiParam(EVALUATOR_ID_PARAM)
  @CommandEndpoint(201, 'certifier', 'authority')
  @ApiOperation({ operationId: 'revokeEvaluatorAccreditation', summary: "RevokeEvaluatorAccreditation: revoke an evaluator's credential for one standard" })
  @ApiCreatedResponse({ type: PositionResponse, description: 'The credential is revoked' })
  revoke(
    @Param('evaluatorId', new IdentifierPipe('evaluatorId')) evaluatorId: string,
    @Body() request: RevokeEvaluatorAccreditationRequest,
    @CallerOfCommand() caller: CommandCaller,
  ): Promise<PositionResponse> {
    return this.commandBus.execute(new RevokeEvaluatorAccreditationCommand(caller, evaluatorId, request));
  }
}
