import { assertNever, type Decider } from '../shared/decider';
import { ensure } from '../shared/domain-error';
import { Folio } from '../shared/folio';
import { businessInstant, requireId, requireRole } from '../shared/guards';
import type { AssignFolio, FolioCommand } from './folio.commands';
import type { FolioEvent } from './folio.events';
import type { FolioState } from './folio.state';

export const initialState: FolioState = { status: 'unassigned' };

export function decide(command: FolioCommand, state: FolioState): FolioEvent[] {
  switch (command.type) {
    case 'AssignFolio':
      return assign(command, state);
    default: {
      const _exhaustive: never = command.type;
      return assertNever(_exhaustive, 'folio command');
    }
  }
}

function assign({ data, metadata }: AssignFolio, state: FolioState): FolioEvent[] {
  requireRole(metadata.actor, ['certifier'], 'assign folios');
  const folio = Folio.parse(data.folio).value;
  const processId = requireId(data.processId, 'processId');
  const assignedAt = businessInstant(data.assignedAt, metadata, 'assignedAt');
  if (state.status === 'assigned') {
    // The same process asking again is a retry; another process hit a collision and must try the next folio.
    ensure(state.processId === processId, 'FOLIO_ALREADY_ASSIGNED', 'the folio belongs to another process', { folio });
    return [];
  }
  return [{ type: 'FolioAssigned', data: { folio, processId, assignedAt } }];
}

export function evolve(_state: FolioState, event: FolioEvent): FolioState {
  switch (event.type) {
    case 'FolioAssigned':
      return { status: 'assigned', ...event.data };
    default: {
      const _exhaustive: never = event.type;
      return assertNever(_exhaustive, 'folio event');
    }
  }
}

export const folioDecider: Decider<FolioCommand, FolioEvent, FolioState> = { decide, evolve, initialState };
