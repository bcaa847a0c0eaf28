// `npm test`'s OpenAPI step: writes the API description the local stacks serve (adapters/shared/openapi.ts)
// to a temporary file and lints it with Redocly's recommended rules (redocly.yaml). Fails on any problem,
// warnings included: `redocly lint` itself fails on errors only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiDocument } from '../adapters/shared/openapi.js';

const directory = mkdtempSync(join(tmpdir(), 'myevents-openapi-'));
const file = join(directory, 'openapi.json');
try {
  writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
  const lint = (format: string) => spawnSync('npx', ['--no-install', 'redocly', 'lint', file, '--config', 'redocly.yaml', `--format=${format}`], { encoding: 'utf8' });
  const result = lint('json');
  const totals = (JSON.parse(result.stdout) as { totals: { errors: number; warnings: number } }).totals;
  if (totals.errors + totals.warnings > 0) {
    console.log(lint('stylish').stdout);
    console.log(`OpenAPI: ${totals.errors} error(s), ${totals.warnings} warning(s)`);
    process.exitCode = 1;
  } else console.log('OpenAPI: 0 errors, 0 warnings (redocly lint, recommended rules)');
} finally {
  rmSync(directory, { recursive: true, force: true });
}
