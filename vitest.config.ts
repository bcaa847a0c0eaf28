import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Trust the development signing key in every test process (and the servers it starts), as `npm start` does.
    setupFiles: ['test/support/auth-env.ts'],
  },
});
