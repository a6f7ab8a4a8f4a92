import { SetMetadata } from '@nestjs/common';
import type { Role } from '@ledger/domain';

export const ROLES = 'ledger:roles';

/** Only callers whose token carries one of these roles reach the route (otherwise 403). */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(ROLES, roles);
