import type { Actor } from '@ledger/domain';
import type { CertificateViewer } from '@ledger/read-models';

/** A certifier sees the certificates of the provider its token acts for; a comptroller sees all. */
export function certificateViewerOf(actor: Actor): CertificateViewer {
  return actor.role === 'certifier' ? { ownProviderId: actor.organizationId } : {};
}
