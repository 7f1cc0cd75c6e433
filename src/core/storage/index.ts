export { openStorage, migrate, type OpenStorageOptions } from './sqlite';
export { migrations, LATEST_SCHEMA_VERSION } from './migrations';
export * from './types';
export { createMemoryStorage } from './memory';
