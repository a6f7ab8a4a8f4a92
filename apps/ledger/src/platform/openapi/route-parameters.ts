import type { ApiParamOptions } from '@nestjs/swagger';
import { PROGRAM_ID_PATTERN } from '@ledger/domain';
import { IDENTIFIER } from '@ledger/platform';

/**
 * The path parameters of the API as the document describes them: the shapes
 * the route pipes (commands/shared/route-params.ts) accept, so that a
 * generated client or a request generator knows what it may send.
 */
export const FOLIO_PARAM: ApiParamOptions = {
  name: 'folio',
  description: 'A certificate folio `XXXX-XXXX-XXXX-C`; lower case, missing hyphens and O/I/L for 0/1/1 are read as meant',
  schema: { type: 'string', maxLength: 64, example: '7K3M-9QXD-2HBT-B' },
};

export const PROCESS_ID_PARAM: ApiParamOptions = {
  name: 'processId',
  description: 'The certification process, as its enrollment answered it',
  schema: { type: 'string', format: 'uuid' },
};

export const SUBJECT_ID_PARAM: ApiParamOptions = {
  name: 'subjectId',
  description: 'The opaque id of a person (a keyed hash of the CURP, never the CURP itself)',
  schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
};

export const EVALUATOR_ID_PARAM: ApiParamOptions = {
  name: 'evaluatorId',
  schema: { type: 'string', pattern: IDENTIFIER.source, example: 'eval-0007' },
};

export const PROGRAM_ID_PARAM: ApiParamOptions = {
  name: 'programId',
  schema: { type: 'string', pattern: PROGRAM_ID_PATTERN.source, example: 'tijuana-2018' },
};
