import type { Actor } from '@ledger/domain';

interface WithActor {
  actor?: Actor;
}

export function attachActor(request: object, actor: Actor): void {
  (request as WithActor).actor = actor;
}

/** The actor the guard attached; a route reaching here without one is a wiring mistake (a @Public route asking for an actor). */
export function actorOf(request: object): Actor {
  const actor = (request as WithActor).actor;
  if (!actor) throw new Error('No authenticated actor on this request: is the route @Public()?');
  return actor;
}

