// The one polling helper lives with the platform's testing entry point (@ledger/platform/testing).
export { eventually } from '../../libs/platform/src/testing';
