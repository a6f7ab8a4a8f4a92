import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HttpRequest, HttpResponse } from '../http/http-types';
import { from, lastValueFrom, map, Observable } from 'rxjs';
import { actorOf } from '../auth/authenticated-request';
import { ProblemException } from '../errors/problem.exception';
import { attachCommandId } from './command-caller';
import { commandIdFor } from './command-ids';
import { LedgerClock } from '../clock/ledger-clock';
import { IdempotencyStore } from './idempotency.store';
import { requestFingerprint } from './request-fingerprint';

const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;
/** Where Nest keeps a route's @HttpCode. */
const HTTP_CODE_METADATA = '__httpCode__';

/**
 * Gives every command request its command id and honours `Idempotency-Key`:
 * the same key with the same request replays the first response and runs
 * nothing; with another request it is a 409. Runs after the auth guard (keys
 * are per caller) and before validation (the fingerprint is of the body as
 * sent).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
    private readonly clock: LedgerClock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const actor = actorOf(request);
    const scope = `${actor.role}:${actor.organizationId}:${actor.id}`;
    const key = readKey(request.headers['idempotency-key']);
    const commandId = commandIdFor(scope, key, () => this.clock.newId());
    attachCommandId(request, commandId);
    if (key === undefined) return next.handle();
    const fingerprint = requestFingerprint(request.method ?? 'POST', request.originalUrl.split('?')[0], request.body);
    const statusCode = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
    const execute = async () => ({ statusCode, body: await lastValueFrom(next.handle()) });
    return from(this.store.runOnce({ scope, key, fingerprint, commandId }, execute)).pipe(
      map((outcome) => {
        if (outcome.replayed) context.switchToHttp().getResponse<HttpResponse>().setHeader('Idempotent-Replayed', 'true');
        return outcome.body;
      }),
    );
  }
}

function readKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !ACCEPTABLE_KEY.test(header)) {
    throw new ProblemException(400, 'IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1 to 255 visible ASCII characters', [
      { field: 'Idempotency-Key', code: 'IDEMPOTENCY_KEY_INVALID', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return header;
}
