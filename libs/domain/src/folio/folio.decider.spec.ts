import { Folio } from '../shared/folio';
import { given } from '../testing/given-when-then';
import { certifier, meta, NOW, PROCESS_ID, providerRegistrar } from '../testing/ledger-fixtures';
import type { AssignFolio } from './folio.commands';
import { folioDecider } from './folio.decider';
import type { FolioAssigned } from './folio.events';

const folio = Folio.fromBody('7K3M9Q2XHB4T').value;
const assign = (data: Partial<AssignFolio['data']> = {}, actor = certifier): AssignFolio => ({
  type: 'AssignFolio',
  data: { folio, processId: PROCESS_ID, ...data },
  metadata: meta(actor),
});
const assigned = (processId = PROCESS_ID): FolioAssigned => ({ type: 'FolioAssigned', data: { folio, processId, assignedAt: NOW } });

describe('folio decider', () => {
  it('assigns a free folio to a process, in canonical form', () => {
    given(folioDecider).when(assign({ folio: folio.replace(/-/g, '').toLowerCase() })).then([assigned()]);
  });

  it('is idempotent for the same process and a conflict for another', () => {
    given(folioDecider, [assigned()]).when(assign()).thenNothing();
    given(folioDecider, [assigned('process-2')]).when(assign()).thenThrows('FOLIO_ALREADY_ASSIGNED');
  });

  it('refuses malformed or mistyped folios, and non-certifiers', () => {
    given(folioDecider).when(assign({ folio: 'nope' })).thenThrows('FOLIO_FORMAT');
    const typo = folio.slice(0, -1) + (folio.endsWith('0') ? '1' : '0');
    given(folioDecider).when(assign({ folio: typo })).thenThrows('FOLIO_CHECK');
    given(folioDecider).when(assign({}, providerRegistrar)).thenThrows('ROLE_NOT_ALLOWED');
  });
});
