import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLATFORMS as HTTP_DRIVERS } from './http-drivers.js';
import { FEATURES, featureMatrixBlock, README_PATH, renderFeatureMatrix, type Platform } from './feature-matrix.js';

const cells = FEATURES.flatMap(({ feature, cells: byPlatform }) => Object.entries(byPlatform).map(([platform, cell]) => ({ feature, platform: platform as Platform, ...cell })));

describe('the feature × platform table of the README', () => {
  it('is the one declared in test/conformance/feature-matrix.ts (npx tsx test/conformance/feature-matrix.ts --write rewrites it)', () => {
    expect(featureMatrixBlock(readFileSync(README_PATH, 'utf8'))).toBe(renderFeatureMatrix());
  });

  it.each(cells.map((cell) => [`${cell.feature} on ${cell.platform}`, cell] as const))('%s names the tests that show it, and they exist', (_name, cell) => {
    if (cell.verified !== 'construction') expect(cell.tests?.length, 'a verified cell names its tests').toBeGreaterThan(0);
    for (const test of cell.tests ?? []) expect(existsSync(new URL(`../../${test}`, import.meta.url)), test).toBe(true);
  });

  it('cites the HTTP conformance suite only for platforms it drives', () => {
    const driven = new Set(HTTP_DRIVERS.map((driver) => driver.split('-')[0]));
    const citing = [...new Set(cells.filter((cell) => cell.tests?.includes('test/conformance/http.test.ts')).map((cell) => cell.platform))];
    expect(citing.filter((platform) => !driven.has(platform))).toEqual([]);
    expect([...driven].sort()).toEqual([...citing].sort());
  });
});
