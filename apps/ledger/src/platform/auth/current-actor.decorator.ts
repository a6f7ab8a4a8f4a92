import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Actor } from '@ledger/domain';
import { actorOf } from './authenticated-request';

/** The caller as the domain knows it, taken from the verified token (never from the body). */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => actorOf(context.switchToHttp().getRequest()));
