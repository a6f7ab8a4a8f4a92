import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { HttpRequest, HttpResponse } from '../http/http-types';
import type { Actor, Role } from '@ledger/domain';
import { ProblemException } from '../errors/problem.exception';
import { PUBLIC_CACHE_CONTROL } from '../http/security-headers';
import { FailedAuthentications } from '../rate-limit/rate-limits';
import { attachActor } from './authenticated-request';
import { IS_PUBLIC } from './public.decorator';
import { ROLES } from './roles.decorator';
import { actorFromClaims } from './token-claims';

const BEARER = /^Bearer ([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)$/;

/**
 * Whether an Authorization header holds a token this ledger would accept
 * (signature, expiry, claims), checked synchronously at the edge so that the
 * public routes' rate limit can leave known callers alone. A bad token here
 * is simply not a reason to skip the limit; the guard still answers it.
 */
export function carriesValidToken(jwt: JwtService, header: string | undefined): boolean {
  const token = header ? BEARER.exec(header)?.[1] : undefined;
  if (!token) return false;
  try {
    return typeof actorFromClaims(jwt.verify(token, { algorithms: ['HS256'] })) !== 'string';
  } catch {
    return false;
  }
}

/**
 * Global guard: every route needs a valid bearer token unless it is
 * @Public(); a route with @Roles() also needs one of those roles. No, bad or
 * expired token → 401; a role not allowed → 403. Failed authentications are
 * counted per client address: past the budget they are answered 429.
 *
 * Every answer is `Cache-Control: no-store` (set at the edge) unless this
 * guard finds a public route asked without a token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly failures: FailedAuthentications,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const response = context.switchToHttp().getResponse<HttpResponse>();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      if (request.headers.authorization === undefined) response.setHeader('Cache-Control', PUBLIC_CACHE_CONTROL);
      return true;
    }
    const actor = await this.authenticateCounted(request, response);
    attachActor(request, actor);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new ProblemException(403, 'ROLE_NOT_ALLOWED', `This route is for ${roles.join(', ')}; the token's role is ${actor.role}`);
    }
    return true;
  }

  private async authenticateCounted(request: HttpRequest, response: HttpResponse): Promise<Actor> {
    try {
      return await this.authenticate(request.headers.authorization);
    } catch (failure) {
      // Past the address's budget this rejects with the 429 instead.
      await this.failures.record(request, response);
      throw failure;
    }
  }

  private async authenticate(header: string | undefined): Promise<Actor> {
    const token = header ? BEARER.exec(header)?.[1] : undefined;
    if (!token) throw new ProblemException(401, 'UNAUTHENTICATED', 'A bearer token is required');
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync(token, { algorithms: ['HS256'] });
    } catch (error) {
      const expired = (error as Error).name === 'TokenExpiredError';
      throw new ProblemException(401, expired ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED', expired ? 'The token has expired' : 'The token is not valid');
    }
    const actor = actorFromClaims(claims);
    if (typeof actor === 'string') throw new ProblemException(401, 'UNAUTHENTICATED', actor);
    return actor;
  }
}
