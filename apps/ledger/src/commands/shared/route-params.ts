import { Injectable, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { validationFailed } from '../../platform/errors/request-validation';
import { IDENTIFIER, IDENTIFIER_MESSAGE } from '../../platform/http/request-formats';

/** An id in the route (`evaluatorId`): the same shape as ids in bodies, else 400 naming the parameter. */
@Injectable()
export class IdentifierPipe implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}

  transform(value: string): string {
    if (!IDENTIFIER.test(value)) throw validationFailed([{ field: this.field, code: 'INVALID_IDENTIFIER', message: `${this.field} ${IDENTIFIER_MESSAGE}` }]);
    return value;
  }
}

/** Process ids are UUIDs the ledger generated; anything else is a 400 naming the parameter, never a lookup. */
export function processIdPipe(): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => validationFailed([{ field: 'processId', code: 'IS_UUID', message: 'processId must be a UUID' }]),
  });
}
