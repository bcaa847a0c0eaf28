#!/usr/bin/env node
// The whole test suite in one command (README, .ci/run): typecheck, lint, the OpenAPI lint, then vitest.
// Ends with the plain line `N passed, N failed` that CI reads (vitest's own summary is not recognised);
// typecheck, lint and the OpenAPI lint count as one check each. Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const report = '.test-report.json';
// The AWS SDK's "node 20 support ends in 2027" notice, once per client in every test worker: the README says it once.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
let passed = 0;
let failed = 0;

function step(name, command, args) {
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status === 0;
}

for (const [name, args] of [
  ['typecheck', ['tsc', '--noEmit']],
  ['lint', ['eslint', '.']],
  ['OpenAPI lint', ['tsx', 'scripts/lint-openapi.ts']],
]) {
  if (step(name, 'npx', ['--no-install', ...args])) passed += 1;
  else {
    failed += 1;
    console.log(`✗ ${name} failed`);
  }
}

/** Runs vitest with `args` and counts its tests from the JSON report. */
function vitest(name, args) {
  rmSync(report, { force: true });
  const ok = step(name, 'npx', ['--no-install', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args]);
  if (existsSync(report)) {
    const results = JSON.parse(readFileSync(report, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    // A file that fails to load (syntax error, failing hook) fails no test but must still fail the run.
    if (!ok && results.numFailedTests === 0) failed += 1;
  } else {
    failed += 1;
    console.log(`✗ ${name} produced no report`);
  }
}

const filters = process.argv.slice(2);
if (filters.length > 0) {
  vitest('vitest', filters);
} else {
  // test/scale/ keeps DynamoDB Local busy for minutes (20,000 transactions): run alone, after the rest,
  // so that its load never starves the end-to-end suites' local Lambdas into timeouts.
  vitest('vitest', ['--exclude', 'test/scale/**']);
  vitest('vitest (scale)', ['test/scale/']);
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
