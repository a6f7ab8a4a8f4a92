import { Injectable, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { Folio, PROGRAM_ID_PATTERN } from '@ledger/domain';
import { validationFailed } from '../../platform/errors/request-validation';
import { IDENTIFIER, IDENTIFIER_MESSAGE } from '@ledger/platform';

// Route parameters are checked before any lookup: a value that cannot name
// anything (a NUL, a space, a megabyte) is a 400 naming the parameter, never
// a query that fails in the database.

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

/**
 * A folio in the route goes through the domain's parser, so a typo is told
 * apart (FOLIO_CHECK) from what is no folio at all (FOLIO_FORMAT), as in
 * bodies. It passes on in its canonical form (`XXXX-XXXX-XXXX-C`).
 */
@Injectable()
export class FolioPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return Folio.parse(value, 'folio').value;
  }
}

/** The ledger's subject ids are HMAC-SHA-256 in lower-case hex. */
const SUBJECT_ID = /^[0-9a-f]{64}$/;

@Injectable()
export class SubjectIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SUBJECT_ID.test(value)) {
      throw validationFailed([{ field: 'subjectId', code: 'INVALID_SUBJECT_ID', message: 'subjectId must be 64 lower-case hexadecimal characters' }]);
    }
    return value;
  }
}

/** A program id in the route: the shape LaunchProgram accepts, else 400 naming programId. */
@Injectable()
export class ProgramIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!PROGRAM_ID_PATTERN.test(value)) {
      throw validationFailed([{ field: 'programId', code: 'INVALID_IDENTIFIER', message: 'programId must be 1 to 64 letters, digits, dots, underscores or hyphens' }]);
    }
    return value;
  }
}
