import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('npm start stops at once with install instructions when java is not on PATH', () => {
  const emptyPath = mkdtempSync(join(tmpdir(), 'no-java-'));
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const result = spawnSync(process.execPath, [tsx, 'offline/aws/start.ts'], { env: { ...process.env, PATH: emptyPath }, encoding: 'utf8', timeout: 60_000 });
  rmSync(emptyPath, { recursive: true, force: true });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('DynamoDB Local needs Java 17 or newer, and `java` is not on PATH.');
  expect(result.stderr).toContain('apt-get install -y openjdk-17-jre-headless');
}, 60_000);
