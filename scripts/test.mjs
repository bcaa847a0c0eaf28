#!/usr/bin/env node
// The whole test suite in one command (README, .ci/run): typecheck, lint, the OpenAPI lint, then vitest.
// Ends with the plain line `N passed, N failed, N skipped` that CI reads (vitest's own summary is not
// recognised); typecheck, lint and the OpenAPI lint count as one check each. A skipped test fails the run:
// a test that did not run shows nothing, so the line must never hide it. When an engine does not start
// (DynamoDB Local, an emulator: test/support/engine-start.ts records it), the run names it and counts the
// tests it kept from running. Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const REPORT = '.test-report.json';
const MATRIX_TEST = 'test/conformance/feature-matrix.test.ts';
// The AWS SDK's "node 20 support ends in 2027" notice, once per client in every test worker: the README says it once.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const engineFailures = join(tmpdir(), `myevents-engine-failures-${process.pid}.jsonl`);
process.env.MYEVENTS_ENGINE_FAILURES = engineFailures;
rmSync(engineFailures, { force: true });
let passed = 0;
let failed = 0;
let skipped = 0;

function step(name, command, args, env = process.env) {
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
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

/** Runs vitest with `args`, writes its JSON report to `report` and counts its tests from it. */
function vitest(name, args, report, env = process.env) {
  rmSync(report, { force: true });
  const ok = step(name, 'npx', ['--no-install', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], env);
  if (!existsSync(report)) {
    failed += 1;
    console.log(`✗ ${name} produced no report`);
    return;
  }
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + results.numTodoTests;
  for (const file of results.testResults) {
    const notRun = file.assertionResults.filter((test) => !['passed', 'failed'].includes(test.status)).length;
    if (notRun > 0) console.log(`✗ ${notRun} test(s) of ${relative(process.cwd(), file.name)} did not run${file.message ? `: ${file.message.split('\n')[0]}` : ''}`);
  }
  // A file that fails to load (syntax error, failing hook) fails no test but must still fail the run.
  if (!ok && results.numFailedTests === 0 && results.numPendingTests === 0) failed += 1;
}

const filters = process.argv.slice(2);
if (filters.length > 0) {
  vitest('vitest', filters, REPORT);
} else {
  // test/scale/ keeps DynamoDB Local busy for minutes (20,000 transactions): run alone, after the rest,
  // so that its load never starves the end-to-end suites' local Lambdas into timeouts.
  vitest('vitest', ['--exclude', 'test/scale/**', '--exclude', MATRIX_TEST], REPORT);
  vitest('vitest (scale)', ['test/scale/'], '.test-report.scale.json');
  // Last, with the first run's report: every test the README's feature matrix cites must have run and passed.
  vitest('vitest (feature matrix against this run)', [MATRIX_TEST], '.test-report.matrix.json', { ...process.env, MYEVENTS_TEST_REPORT: REPORT });
}

if (existsSync(engineFailures)) {
  const engines = readFileSync(engineFailures, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  for (const { engine, file, reason } of engines) console.log(`✗ ${engine} did not start (${reason}): the tests of ${relative(process.cwd(), file)} that need it did not run`);
  rmSync(engineFailures, { force: true });
}
if (skipped > 0) console.log(`✗ ${skipped} test(s) did not run: a skipped test fails the run`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && skipped === 0 ? 0 : 1);
