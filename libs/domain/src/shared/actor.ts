/** Who issued a command: taken from the caller's credentials, never from a request body. */
export type Role = 'authority' | 'certifier' | 'registrar' | 'evaluator' | 'comptroller' | 'privacy';

export interface Actor {
  id: string;
  role: Role;
  organizationId: string;
  /**
   * A comptroller's scope: the ledger's code of one state (MEXICAN_STATES'
   * `code`), from the token's jurisdiction claim; absent, the whole country.
   * A reader's scope, never written into an event's metadata.
   */
  jurisdiction?: string;
}
