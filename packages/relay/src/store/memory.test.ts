import { MemoryStore } from './memory.js';
import { describeStore } from './store.suite.js';

describeStore('MemoryStore', () => new MemoryStore());
