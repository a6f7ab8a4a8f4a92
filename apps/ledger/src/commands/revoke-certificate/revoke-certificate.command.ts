import { Command } from '@nestjs/cqrs';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { PositionResponse } from '../shared/command-responses';
import type { RevokeCertificateRequest } from './revoke-certificate.request.dto';

export class RevokeCertificateCommand extends Command<PositionResponse> {
  constructor(
    readonly caller: CommandCaller,
    /** As typed by the caller; the handler canonicalises it. */
    readonly folio: string,
    readonly request: RevokeCertificateRequest,
  ) {
    super();
  }
}
