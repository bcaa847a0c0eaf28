/**
 * `npm run bench:hot-reload`: how long `npm start` takes to serve an edit, on a temporary copy of the
 * project (its sources are edited; node_modules is a link to this one's). Per round:
 *   edit    a normal edit of adapters/shared/router.ts, until GET /nowhere answers with the new message;
 *   break   a syntax error appended to functions/errors.ts (every bundle imports it), until GET /map answers 500;
 *   fix     the file restored, until GET /map answers 200 again.
 * Each figure includes the 30 ms debounce of the watcher and up to 10 ms of polling. ROUNDS (default 8).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalStack } from '../offline/aws/local-stack.js';
import { freePort } from '../offline/shared/ports.js';
import { summarize } from './stats.js';

const rounds = Number(process.env['ROUNDS'] ?? 8);
const project = mkdtempSync(join(tmpdir(), 'myevents-bench-reload-'));
for (const file of ['functions', 'adapters', 'offline', 'infra', 'serverless.yml', 'package.json', 'tsconfig.json']) cpSync(resolve(file), join(project, file), { recursive: true });
symlinkSync(resolve('node_modules'), join(project, 'node_modules'), 'dir');
process.chdir(project); // sls offline runs (and watches) in the copy
const [httpPort, lambdaPort, dynamodbPort, sqsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
const stack = await startLocalStack({ httpPort, lambdaPort, dynamodbPort, sqsPort, dataDir: '.local-data', output: 'capture' });

/** Milliseconds from `change()` until `done()` holds. */
async function timeUntil(change: () => void, done: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  change();
  const deadline = Date.now() + 60_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`no reload within 60 s\n${stack.output().slice(-2000)}`);
    await new Promise((wait) => setTimeout(wait, 10));
  }
  return performance.now() - started;
}

try {
  const router = 'adapters/shared/router.ts';
  const errors = 'functions/errors.ts';
  const routerSource = readFileSync(router, 'utf8');
  const errorsSource = readFileSync(errors, 'utf8');
  const status = async (path: string) => (await fetch(`${stack.baseUrl}${path}`)).status;
  const message = async () => ((await (await fetch(`${stack.baseUrl}/nowhere`)).json()) as { error: { message: string } }).error.message;
  const times: Record<'edit' | 'break' | 'fix', number[]> = { edit: [], break: [], fix: [] };
  for (let round = 0; round <= rounds; round += 1) {
    const marker = `(round ${round})`;
    const edit = await timeUntil(
      () => writeFileSync(router, routerSource.replace('`No route for ${path}`', `\`No route ${marker} for \${path}\``)),
      async () => (await message()).includes(marker),
    );
    const broken = await timeUntil(() => writeFileSync(errors, `${errorsSource}const broken = ;\n`), async () => (await status('/map')) === 500);
    const fixed = await timeUntil(() => writeFileSync(errors, errorsSource), async () => (await status('/map')) === 200);
    // The first round is the first rebuild of each esbuild context: reported apart.
    if (round === 0) console.log(`first round: edit ${Math.round(edit)} ms, break ${Math.round(broken)} ms, fix ${Math.round(fixed)} ms`);
    else {
      times.edit.push(edit);
      times.break.push(broken);
      times.fix.push(fixed);
    }
  }
  for (const [name, samples] of Object.entries(times)) {
    const { median, p10, p90 } = summarize(samples);
    console.log(`${name.padEnd(6)} median ${Math.round(median)} ms (p10 ${Math.round(p10)}, p90 ${Math.round(p90)}) over ${samples.length} rounds`);
  }
} finally {
  await stack.stop();
  rmSync(project, { recursive: true, force: true });
}
