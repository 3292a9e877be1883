import { defineConfig } from 'vitest/config';

// End-to-end tests: the built extension in code-server + Chromium (test/e2e/harness.ts).
// One editor at a time: each test file starts its own code-server and browser.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
    // An answer from the editor (language server, panel, workbench) can take seconds on a busy machine;
    // vitest's default of 1 s for expect.poll would make the tests flaky.
    expect: { poll: { timeout: 10_000, interval: 100 } },
    reporters: ['default'],
  },
});
