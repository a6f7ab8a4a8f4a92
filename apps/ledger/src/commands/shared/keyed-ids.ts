import { Inject, Injectable } from '@nestjs/common';
import { Curp, Folio, personStream } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { folioBytesOf, subjectIdOf, type LedgerSecrets } from '@ledger/platform';
import { LEDGER_SECRETS } from '../../platform/config/config.tokens';

/** More erasures than this of one CURP is no holder's history: a loop or an attack. */
const MAX_ERASURES_PER_CURP = 100;

/**
 * The ledger's keyed identifiers: who a CURP is (subjectId), and which folio a process gets.
 *
 * A CURP names one subject per life of its personal data in the ledger: its
 * epoch 0 is HMAC(key, curp); once that subject is erased, the CURP enrolled
 * again is epoch 1, HMAC(key, curp + "#1"), and so on ('#' is never part of
 * a CURP, so no epoch of one CURP is another CURP's). Which epoch is current
 * is read from the log itself: an epoch whose person stream ends in
 * PersonalDataErased is over. The erasure and the next enrollment are thus
 * ordered by the same expected revision as every other write to the person
 * stream, in either event store, with no second record that could disagree
 * with the log; and nothing stored links the new subject to the erased one
 * (only someone holding both the CURP and the subject key can derive both).
 */
@Injectable()
export class SubjectIds {
  constructor(
    @Inject(LEDGER_SECRETS) private readonly secrets: LedgerSecrets,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The subject of a CURP's epoch (0: the first life of its data in the ledger). */
  ofEpoch(curp: Curp, epoch: number): string {
    return subjectIdOf(this.secrets.subjectKey, epoch === 0 ? curp.value : `${curp.value}#${epoch}`);
  }

  /** The CURP's current subject: the first epoch whose person stream has not ended in an erasure. */
  async current(curp: Curp): Promise<string> {
    for (let epoch = 0; epoch <= MAX_ERASURES_PER_CURP; epoch += 1) {
      const subjectId = this.ofEpoch(curp, epoch);
      const [last] = await this.store.readStream(personStream(subjectId), { direction: 'backwards', maxCount: 1 });
      if (last?.type !== 'PersonalDataErased') return subjectId;
    }
    throw new Error(`a CURP was erased more than ${MAX_ERASURES_PER_CURP} times`);
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
