/** Who issued a command: taken from the caller's credentials, never from a request body. */
export type Role = 'authority' | 'certifier' | 'registrar' | 'evaluator' | 'comptroller';

export interface Actor {
  id: string;
  role: Role;
  organizationId: string;
}
