export type FolioState =
  | { status: 'unassigned' }
  | { status: 'assigned'; folio: string; processId: string; assignedAt: string };
