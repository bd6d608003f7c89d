import { afterAll } from 'vitest';
import { closePGliteTemplate } from '../../src/database.js';

// Every test file's PGlite databases are clones of one template (src/database.ts); close it with the file.
afterAll(() => closePGliteTemplate());
