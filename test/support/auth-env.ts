/**
 * vitest setup file (vitest.config.ts): every test process trusts this checkout's development key, as the
 * local stacks do, before any test module is imported; servers the tests spawn inherit the setting.
 */
import { trustDevKeyUnlessConfigured } from '../../adapters/local/dev-auth.js';

await trustDevKeyUnlessConfigured();
