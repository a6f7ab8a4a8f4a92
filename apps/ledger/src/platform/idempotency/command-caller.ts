import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Actor } from '@ledger/domain';
import { actorOf } from '../auth/authenticated-request';
import { correlationIdOf } from '../logging/correlation-id';

/** Who sent a command and under which ids; becomes every appended event's metadata. */
export interface CommandCaller {
  actor: Actor;
  commandId: string;
  correlationId: string;
  /** What caused this command: absent for a command from the API (its own id is the cause), the batch for a batch's item. */
  causationId?: string;
}

interface WithCommandId {
  commandId?: string;
}

export function attachCommandId(request: object, commandId: string): void {
  (request as WithCommandId).commandId = commandId;
}

/** The caller of a command route; needs the IdempotencyInterceptor on the route (it assigns the command id). */
export const CallerOfCommand = createParamDecorator((_: unknown, context: ExecutionContext): CommandCaller => {
  const request = context.switchToHttp().getRequest();
  const commandId = (request as WithCommandId).commandId;
  if (!commandId) throw new Error('No command id on this request: add the IdempotencyInterceptor to the route');
  return { actor: actorOf(request), commandId, correlationId: correlationIdOf(request) };
});
