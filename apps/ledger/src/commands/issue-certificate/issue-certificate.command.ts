import { Command } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { IssueCertificateRequest } from './issue-certificate.request.dto';

export class CertificateResponse {
  @ApiProperty({ example: '7K3M-9QXD-2HBT-B', description: 'The public folio: unique, not guessable, with a check character' })
  folio: string;

  @ApiProperty({ example: '2023-11-13T17:00:00.000Z' })
  validUntil: string;

  @ApiProperty({ example: '42' })
  position: string;
}

/** What `ledger import` adds to an issuance: never part of an API request. */
export interface ImportedIssuance {
  readonly importRun: string;
  /** The folio printed on the paper certificate, kept beside the ledger's own. */
  readonly printedFolio?: string;
}

export class IssueCertificateCommand extends Command<CertificateResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly processId: string,
    readonly request: IssueCertificateRequest,
    readonly imported?: ImportedIssuance,
  ) {
    super();
  }
}
