import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORMS as HTTP_DRIVERS } from './http-drivers.js';
import { FEATURES, featureMatrixBlock, README_PATH, renderFeatureMatrix, type Platform } from './feature-matrix.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const parts = FEATURES.flatMap(({ feature, cells }) => Object.entries(cells).flatMap(([platform, cell]) => cell.map((part) => ({ feature, platform: platform as Platform, ...part }))));
const citedFiles = [...new Set(parts.flatMap((part) => part.tests ?? []))].sort();

/**
 * The vitest JSON report of the run this test is part of: scripts/test.mjs runs this file last, after the
 * rest of the suite, and names that run's report in MYEVENTS_TEST_REPORT. Run alone (`npx vitest run`),
 * there is no such report: the test then checks what it can without one and says so in its annotation.
 */
interface Report {
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}
const reportPath = process.env['MYEVENTS_TEST_REPORT'];
const report: Report | undefined = reportPath === undefined || reportPath === '' ? undefined : (JSON.parse(readFileSync(reportPath, 'utf8')) as Report);

describe('the feature × platform table of the README', () => {
  it('is the one declared in test/conformance/feature-matrix.ts (npx tsx test/conformance/feature-matrix.ts --write rewrites it)', () => {
    expect(featureMatrixBlock(readFileSync(README_PATH, 'utf8'))).toBe(renderFeatureMatrix());
  });

  it.each(parts.map((part) => [`${part.feature} on ${part.platform}: ${part.what}`, part] as const))('%s cites the tests that show it, and they exist', (_name, part) => {
    if (part.ranBy !== 'template') expect(part.tests?.length, 'a part that ran names its tests').toBeGreaterThan(0);
    for (const test of part.tests ?? []) expect(existsSync(resolve(ROOT, test)), test).toBe(true);
  });

  it('cites the HTTP conformance suite only for platforms it drives', () => {
    const driven = new Set(HTTP_DRIVERS.map((driver) => driver.split('-')[0]));
    const citing = [...new Set(parts.filter((part) => part.tests?.includes('test/conformance/http.test.ts')).map((part) => part.platform))];
    expect(citing.filter((platform) => !driven.has(platform))).toEqual([]);
    expect([...driven].sort()).toEqual([...citing].sort());
  });

  it('every cited test ran and passed in this run (its vitest report, under npm test)', async ({ annotate }) => {
    if (report === undefined) {
      // Alone, only the files can be checked: each cited file declares tests. Said, not hidden.
      for (const file of citedFiles) expect(readFileSync(resolve(ROOT, file), 'utf8'), file).toMatch(/\b(it|test)(\.each\([^)]*\))?\(/);
      await annotate('No vitest report of this run (MYEVENTS_TEST_REPORT, set by npm test): checked that the cited files exist and declare tests, not that they ran and passed.', 'notice');
      return;
    }
    const problems: string[] = [];
    for (const file of citedFiles) {
      const results = report.testResults.filter((result) => relative(ROOT, result.name) === file);
      const tests = results.flatMap((result) => result.assertionResults);
      if (tests.length === 0) problems.push(`${file}: not in this run`);
      for (const test of tests) if (test.status !== 'passed') problems.push(`${file} › ${test.fullName}: ${test.status}`);
    }
    expect(problems).toEqual([]);
    await annotate(`${citedFiles.length} cited test files, every test of each run and passed in this run's report`, 'notice');
  });
});
