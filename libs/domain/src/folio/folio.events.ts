/**
 * Stream: `folio-{folio}`. Appended with expected revision `no_stream` before
 * CertificateIssued, so a folio can never belong to two processes; it is also
 * how a folio is resolved to its process on the write side.
 */
export type FolioEvent = FolioAssigned;

export interface FolioAssigned {
  type: 'FolioAssigned';
  data: { folio: string; processId: string; assignedAt: string };
}
