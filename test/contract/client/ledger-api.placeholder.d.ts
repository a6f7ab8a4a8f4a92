/**
 * Stands in for the types openapi-typescript generates from the ledger's
 * `/docs-json`, so that the project's own type check can compile the client
 * beside it without a running ledger. The contract suite
 * (test/contract/openapi-contract.e2e-spec.ts) compiles the client again,
 * strictly, against types generated from the live document instead of this.
 */
declare module 'ledger-api' {
  export type paths = any;
}
