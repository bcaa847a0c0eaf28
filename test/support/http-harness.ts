import type { Route } from '../../functions/http/contract.js';
import type { HttpFunctionDeps } from '../../functions/routes.js';
import { httpFunctions } from '../../functions/routes.js';
import {
  MemoryBookingRepository,
  MemoryEventRepository,
  MemoryGameMapRepository,
  MemoryLocationRepository,
  MemoryPlayerRepository,
} from '../../adapters/memory/repositories.js';
import { MemoryTable } from '../../adapters/memory/memory-table.js';
import { dispatchHttp } from '../../adapters/shared/http-dispatch.js';
import { silentLogger } from '../../adapters/shared/json-logger.js';
import { fixedClock, sequentialIds } from './doubles.js';
import { adminHeaders } from './tokens.js';

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON body, undefined when empty. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read fields freely
}

/** Pass as `authorization` to send no Authorization header at all (the harness sends an admin's token by default). */
export const NO_TOKEN = '';

/**
 * In-memory deps for every HTTP function and a `call` that goes through the real dispatch (routing, token
 * check, body checks, error mapping). Calls carry an admin's token unless `headers.authorization` says otherwise.
 */
export function httpHarness() {
  const eventsTable = new MemoryTable();
  const clock = fixedClock();
  const ids = sequentialIds();
  const deps: HttpFunctionDeps = {
    eventsApi: { locations: new MemoryLocationRepository(eventsTable), events: new MemoryEventRepository(eventsTable), ids },
    bookingsApi: { bookings: new MemoryBookingRepository(), clock, ids },
    playersApi: { players: new MemoryPlayerRepository(), gameMap: new MemoryGameMapRepository(), ids },
  };

  async function call<F extends keyof HttpFunctionDeps>(
    fn: F,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<CallResult> {
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const { authorization = (await adminHeaders()).authorization, ...rest } = headers;
    const withToken = authorization === NO_TOKEN ? rest : { authorization, ...rest };
    const allHeaders = text === undefined ? withToken : { 'content-type': 'application/json', ...withToken };
    const routes = httpFunctions[fn] as Route<HttpFunctionDeps[F]>[];
    const [pathOnly = path, search = ''] = path.split('?');
    const query = Object.fromEntries(new URLSearchParams(search));
    const response = await dispatchHttp(routes, deps[fn], { method, path: pathOnly, query, headers: allHeaders, body: text }, { requestId: 'req-1', logger: silentLogger });
    return { status: response.status, headers: response.headers, json: response.body === '' ? undefined : JSON.parse(response.body) };
  }

  return { deps, clock, ids, call };
}

export const validLocation = {
  name: 'Olympiastadion',
  address: 'Olympischer Platz 3',
  country: 'DE',
  openTime: 8,
  closeTime: 23,
  halls: [
    { name: 'Main', location: 'ground floor', capacity: 10 },
    { name: 'Side', location: 'first floor', capacity: 3 },
  ],
};

export const validEvent = (locationId: string, hall = 'Main') => ({
  name: 'Opera Aida',
  duration: 180,
  startDate: '2026-12-01T19:00:00Z',
  endDate: '2026-12-01T22:00:00Z',
  locationId,
  hall,
});
