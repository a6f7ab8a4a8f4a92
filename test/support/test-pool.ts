export { testPool } from '../../libs/platform/src/testing';
