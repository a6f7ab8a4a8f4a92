import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HttpRequest, HttpResponse } from '../http/http-types';
import type { Actor, Role } from '@ledger/domain';
import { ProblemException } from '../errors/problem.exception';
import { PUBLIC_CACHE_CONTROL } from '../http/security-headers';
import { FailedAuthentications } from '../rate-limit/rate-limits';
import { attachActor } from './authenticated-request';
import { IS_PUBLIC } from './public.decorator';
import { ROLES } from './roles.decorator';
import { TokenVerifier } from './token-verifier';

/**
 * Global guard: every route needs a valid bearer token (TokenVerifier: a
 * development token or the identity provider's) unless it is @Public(); a
 * route with @Roles() also needs one of those roles. No, bad or expired
 * token → 401 (503 when the provider's keys cannot be had); a role not
 * allowed → 403. Failed authentications, 503s included, are counted per
 * client address: past the budget they are answered 429.
 *
 * Every answer is `Cache-Control: no-store` (set at the edge) unless this
 * guard finds a public route asked without a token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
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

  private authenticate(header: string | undefined): Promise<Actor> {
    return this.tokens.authenticate(header);
  }
}
