import { createMemoryStorage } from '../../src/core/storage';
import { storageSuite } from './suite';

storageSuite('memory', () => createMemoryStorage());
