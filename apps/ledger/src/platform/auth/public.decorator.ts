import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'ledger:is-public';

/** The route needs no token (health, public verification). Every other route does. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
