import { Inject, Injectable } from '@nestjs/common';
import { Curp, Folio } from '@ledger/domain';
import { folioBytesOf, subjectIdOf, type LedgerSecrets } from '@ledger/platform';
import { LEDGER_SECRETS } from '../../platform/config/config.tokens';

/** The ledger's keyed identifiers: who a CURP is (subjectId), and which folio a process gets. */
@Injectable()
export class SubjectIds {
  constructor(@Inject(LEDGER_SECRETS) private readonly secrets: LedgerSecrets) {}

  of(curp: Curp): string {
    return subjectIdOf(this.secrets.subjectKey, curp.value);
  }
}

@Injectable()
export class FolioCandidates {
  constructor(@Inject(LEDGER_SECRETS) private readonly secrets: LedgerSecrets) {}

  /** The `attempt`-th folio this process may take; attempt 0 unless an earlier candidate was taken by another process. */
  candidate(processId: string, attempt: number): Folio {
    return Folio.fromBytes(folioBytesOf(this.secrets.folioKey, processId, attempt));
  }
}
