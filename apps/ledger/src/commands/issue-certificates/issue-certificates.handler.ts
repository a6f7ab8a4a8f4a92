import { Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { normaliseInstant } from '@ledger/domain';
import { answerFor } from '../../platform/errors/error-mapping';
import { childCommandId } from '../../platform/idempotency/command-ids';
import { IssueCertificateCommand } from '../issue-certificate/issue-certificate.command';
import { BatchItemResult, IssueCertificatesCommand, IssueCertificatesResponse } from './issue-certificates.command';

/** Items issued at once: enough to fill the store's group commits, few enough to leave connections for other requests. */
const PARALLEL_ITEMS = 16;

/**
 * A batch is many IssueCertificate commands, each with its own command id
 * derived from the batch's, and the batch's id as causation id (so the audit
 * trail ties every certificate to its ceremony). A retried batch (same
 * Idempotency-Key) retries every item with the same ids: items already issued
 * are answered from the ledger and the rest are completed. One item's refusal
 * never stops the others.
 */
@CommandHandler(IssueCertificatesCommand)
export class IssueCertificatesHandler implements ICommandHandler<IssueCertificatesCommand> {
  private readonly logger = new Logger(IssueCertificatesHandler.name);

  constructor(private readonly commandBus: CommandBus) {}

  async execute({ caller, request }: IssueCertificatesCommand): Promise<IssueCertificatesResponse> {
    // The business time is the batch's, not an item's: one that is no real instant makes the request
    // malformed (400 INVALID_DATE naming issuedAt), rather than every item rejected in a 200.
    if (request.issuedAt !== undefined) normaliseInstant(request.issuedAt, 'issuedAt');
    const results: BatchItemResult[] = new Array(request.processIds.length);
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < request.processIds.length; index = next++) {
        results[index] = await this.issueOne(request.processIds[index], request.issuedAt, caller);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_ITEMS, request.processIds.length) }, worker));
    return { results };
  }

  private async issueOne(processId: string, issuedAt: string | undefined, caller: IssueCertificatesCommand['caller']): Promise<BatchItemResult> {
    const itemCaller = { ...caller, commandId: childCommandId(caller.commandId, processId), causationId: caller.commandId };
    try {
      const issued = await this.commandBus.execute(new IssueCertificateCommand(itemCaller, processId, { issuedAt }));
      return { processId, status: 'issued', ...issued };
    } catch (error) {
      const answer = answerFor(error);
      if (answer.unexpected) this.logger.error({ correlationId: caller.correlationId, processId, err: error instanceof Error ? error.stack : String(error) }, 'Batch item failed');
      return { processId, status: 'rejected', error: { status: answer.status, code: answer.code, detail: answer.detail } };
    }
  }
}
