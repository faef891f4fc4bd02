import { createMemoryStores } from '../../src/store/memory-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('memory', () => Promise.resolve(createMemoryStores()));
