export * from './migrations';
export * from './run-migrations';
