import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run build:azure` output, loaded the way the Functions host's Node.js worker loads it (every
 * file package.json `main` matches, in one process), but without the host: @azure/functions then runs
 * in "test mode" and reports each registration it skips, which is what this test reads.
 */
const root = new URL('../../', import.meta.url).pathname;
const FUNCTIONS = ['bookingsApi', 'bookingsConsumer', 'bookingsOutbox', 'eventsApi', 'eventsConsumer', 'eventsOutbox', 'placePlayers', 'playersApi'];

/** Placeholder settings: clients are created at load time and connect on first use only. */
const settings = {
  COSMOS_CONNECTION: 'AccountEndpoint=https://127.0.0.1:9/;AccountKey=a2V5;',
  COSMOS_DATABASE: 'myevents',
  QUEUE_CONNECTION: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;',
  BOOKINGS_QUEUE: 'bookings',
  EVENTS_QUEUE: 'events',
};

let main = '';

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build-azure.mjs')], { cwd: root, stdio: 'pipe' });
  main = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string }).main;
}, 60_000);

describe('npm run build:azure', () => {
  it('produces one file per function where package.json main points', () => {
    expect(main).toBe('dist/azure/functions/*.js');
    const built = readdirSync(join(root, 'dist/azure/functions')).filter((file) => file.endsWith('.js'));
    expect(built).toHaveLength(FUNCTIONS.length);
  });

  it('loads without the host, every file registering its function', () => {
    const script = `import { readdirSync } from 'node:fs';
for (const file of readdirSync('dist/azure/functions').filter((name) => name.endsWith('.js')).sort()) await import('./dist/azure/functions/' + file);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: { ...process.env, ...settings }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const skipped = [...`${run.stdout}${run.stderr}`.matchAll(/Skipping call to register function "(\w+)"/g)].map((match) => match[1]).sort();
    expect(skipped).toEqual(FUNCTIONS);
  });

  it('fails at load, naming the setting, when an app setting is missing', () => {
    const incomplete = Object.fromEntries(Object.entries(settings).filter(([name]) => name !== 'COSMOS_CONNECTION'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in settings)));
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('./dist/azure/functions/events-api.js')"], { cwd: root, env: { ...env, ...incomplete }, encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('App setting COSMOS_CONNECTION is not set');
  });
});
