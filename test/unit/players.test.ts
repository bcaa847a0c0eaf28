import { describe, expect, it } from 'vitest';
import { httpHarness } from '../support/http-harness.js';

describe('players', () => {
  it('creates a player that is not on the map yet', async () => {
    const { call } = httpHarness();
    const created = await call('playersApi', 'POST', '/players', { name: 'Mario' });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: 'id-1', name: 'Mario', position: null });
    expect((await call('playersApi', 'GET', '/map')).json).toEqual([]);
  });

  it('shows the position once the map has the player', async () => {
    const { call, deps } = httpHarness();
    await call('playersApi', 'POST', '/players', { name: 'Mario' });
    await deps.playersApi.gameMap.placeIfAbsent({ id: 'id-1', name: 'Mario', position: { x: 0, y: 0 } });
    expect((await call('playersApi', 'GET', '/players/id-1')).json).toEqual({ id: 'id-1', name: 'Mario', position: { x: 0, y: 0 } });
    expect((await call('playersApi', 'GET', '/map')).json).toEqual([{ id: 'id-1', name: 'Mario', position: { x: 0, y: 0 } }]);
  });

  it('deletes a player with 204, then 404', async () => {
    const { call } = httpHarness();
    await call('playersApi', 'POST', '/players', { name: 'Mario' });
    const deleted = await call('playersApi', 'DELETE', '/players/id-1');
    expect(deleted.status).toBe(204);
    expect(deleted.json).toBeUndefined();
    expect((await call('playersApi', 'GET', '/players/id-1')).status).toBe(404);
    expect((await call('playersApi', 'DELETE', '/players/id-1')).status).toBe(404);
  });

  it.each([
    ['no name', {}],
    ['empty name', { name: '' }],
    ['name as number', { name: 7 }],
    ['name too long', { name: 'x'.repeat(101) }],
  ])('rejects %s with 400 naming name', async (_case, body) => {
    const { call } = httpHarness();
    const result = await call('playersApi', 'POST', '/players', body);
    expect(result.status).toBe(400);
    expect(result.json.error.details[0].field).toBe('name');
  });
});
