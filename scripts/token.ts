/**
 * `npm run token -- [--scope admin] [--sub <id>] [--expires 1h]`: prints a bearer token signed by this
 * checkout's development key (adapters/local/dev-auth.ts), which only the local stacks trust.
 * `--env` prints instead the AUTH_* settings that make another process (func start, a custom server) trust it.
 */
import { parseArgs } from 'node:util';
import { devAuthEnv, mintDevToken } from '../adapters/local/dev-auth.js';

const { values } = parseArgs({
  options: {
    scope: { type: 'string', multiple: true, default: [] },
    sub: { type: 'string', default: 'dev-user' },
    expires: { type: 'string', default: '1h' },
    env: { type: 'boolean', default: false },
  },
});

if (values.env) {
  for (const [name, value] of Object.entries(await devAuthEnv())) console.log(`${name}=${value}`);
} else {
  // Several --scope flags, or one space-separated list, as the `scope` claim writes them.
  const scopes = values.scope.flatMap((scope) => scope.split(' ')).filter((scope) => scope.length > 0);
  console.log(await mintDevToken({ subject: values.sub, scopes, expiresIn: values.expires }));
}
