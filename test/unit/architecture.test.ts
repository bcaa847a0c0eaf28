import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const platformImport = /from\s+['"](aws-lambda|@azure\/|@google-cloud\/|@aws-sdk\/|@middy\/|@aws-lambda-powertools\/)/;
const adaptersImport = /from\s+['"][./]+\/adapters\//;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : [],
  );
}

describe('architecture', () => {
  const files = sourceFiles('functions');

  it('has core files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s imports no platform package and no adapter', (file) => {
    const source = readFileSync(file, 'utf8');
    expect(source).not.toMatch(platformImport);
    expect(source).not.toMatch(adaptersImport);
  });
});
