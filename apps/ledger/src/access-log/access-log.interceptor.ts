import { ApiResponse } from '@nestjs/swagger';
import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import { actorOf } from '../platform/auth/authenticated-request';
import { correlationIdOf } from '../platform/logging/correlation-id';
import type { IncomingMessage } from 'node:http';
import { LEDGER_POSITION_SOMETIMES_HEADER, problemAnswer, RETRY_AFTER_HEADER } from '../platform/openapi/openapi-answers';
import { routePatternOf } from './access-log-entry';
import { AccessLog } from './access-log.service';

const SUBJECTS_SHOWN = 'ledger:access-log:subjects-shown';

/**
 * Which subjects an answer shows: every subjectId it names (a list page: the
 * subjects on that page), or the one its path names (a timeline), from the
 * route's parameters as its pipes accepted them.
 */
export type SubjectsShown<T = never> = (answer: T, params: Readonly<Record<string, string>>) => readonly string[];

/** The route pattern a request matched, as the access log records it: `/v1/certificates/{folio}`. */
export function accessRouteOf(request: IncomingMessage): string {
  const path = (request as IncomingMessage & { route?: { path?: unknown } }).route?.path;
  if (typeof path !== 'string') throw new Error('accessRouteOf: the request has not matched a route');
  return routePatternOf(path);
}

/**
 * The route shows personal data: its successful answer is recorded in the
 * access log before it is sent, with the subjects `subjectsShown` finds in it.
 * A refused request (401, 403, 400, 404) never reaches the record; an answer
 * whose read cannot be recorded is a 503 instead.
 */
export function RecordsAccess<T>(subjectsShown: SubjectsShown<T>): MethodDecorator {
  return applyDecorators(SetMetadata(SUBJECTS_SHOWN, subjectsShown), UseInterceptors(AccessLogInterceptor), ApiResponse(UNAVAILABLE_ANSWER));
}

/** Replaces QueryEndpoint's 503 (put @RecordsAccess above it): the same reasons and the access log's. */
const UNAVAILABLE_ANSWER = problemAnswer(
  503,
  'PROJECTION_LAG: the read models did not reach minPosition (or atPosition) in time; STORE_UNAVAILABLE: the read models cannot be reached; ' +
    'ACCESS_LOG_UNAVAILABLE: the access log cannot record this read (its queue is full or its database takes no writes), so the answer is not given. See Retry-After',
  { ...RETRY_AFTER_HEADER, ...LEDGER_POSITION_SOMETIMES_HEADER },
);

@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly accessLog: AccessLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const subjectsShown = this.reflector.get<SubjectsShown<unknown> | undefined>(SUBJECTS_SHOWN, context.getHandler());
    if (!subjectsShown) throw new Error('AccessLogInterceptor on a route without @RecordsAccess');
    const request = context.switchToHttp().getRequest<IncomingMessage & { params?: Record<string, string> }>();
    return next.handle().pipe(
      map((answer) => {
        this.accessLog.record({ actor: actorOf(request), route: accessRouteOf(request), subjectIds: subjectsShown(answer, request.params ?? {}), correlationId: correlationIdOf(request) });
        return answer;
      }),
    );
  }
}
