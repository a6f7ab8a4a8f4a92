import type { Actor } from '@ledger/domain';
import type { AuditScope, CertificateViewer } from '@ledger/read-models';

/**
 * What a comptroller's token lets it see: one state when the token carries a
 * jurisdiction claim (Actor.jurisdiction), the whole country otherwise.
 * Other roles are scoped by their organization where a route allows them.
 */
export function stateScopeOf(actor: Actor): AuditScope {
  return actor.role === 'comptroller' && actor.jurisdiction !== undefined ? { state: actor.jurisdiction } : {};
}

/** A certifier sees the certificates of the provider its token acts for; a comptroller all of them, or its state's. */
export function certificateViewerOf(actor: Actor): CertificateViewer {
  return actor.role === 'certifier' ? { ownProviderId: actor.organizationId } : stateScopeOf(actor);
}
