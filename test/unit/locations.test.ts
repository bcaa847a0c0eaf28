import { describe, expect, it } from 'vitest';
import { httpHarness, validLocation } from '../support/http-harness.js';

describe('locations', () => {
  it('creates a location with an id and returns it with 201', async () => {
    const { call } = httpHarness();
    const created = await call('eventsApi', 'POST', '/locations', validLocation);
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: 'id-1', ...validLocation });
  });

  it('lists and gets stored locations', async () => {
    const { call } = httpHarness();
    await call('eventsApi', 'POST', '/locations', validLocation);
    await call('eventsApi', 'POST', '/locations', { ...validLocation, name: 'Second' });
    const list = await call('eventsApi', 'GET', '/locations');
    expect(list.status).toBe(200);
    expect(list.json.map((location: { name: string }) => location.name)).toEqual(['Olympiastadion', 'Second']);
    const one = await call('eventsApi', 'GET', '/locations/id-2');
    expect(one.status).toBe(200);
    expect(one.json.name).toBe('Second');
  });

  it('answers 404 with a JSON error for an unknown location', async () => {
    const { call } = httpHarness();
    const missing = await call('eventsApi', 'GET', '/locations/nope');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: 'NOT_FOUND', requestId: 'req-1' });
  });

  it.each([
    ['missing name', { ...validLocation, name: undefined }, 'name'],
    ['empty name', { ...validLocation, name: '  ' }, 'name'],
    ['name is a number', { ...validLocation, name: 42 }, 'name'],
    ['openTime above 24', { ...validLocation, openTime: 25 }, 'openTime'],
    ['openTime negative', { ...validLocation, openTime: -1 }, 'openTime'],
    ['closeTime not an integer', { ...validLocation, closeTime: 8.5 }, 'closeTime'],
    ['closeTime a string', { ...validLocation, closeTime: '23' }, 'closeTime'],
    ['no halls', { ...validLocation, halls: [] }, 'halls'],
    ['hall capacity zero', { ...validLocation, halls: [{ name: 'A', location: 'x', capacity: 0 }] }, 'halls.0.capacity'],
    ['hall capacity fractional', { ...validLocation, halls: [{ name: 'A', location: 'x', capacity: 1.5 }] }, 'halls.0.capacity'],
    ['hall without location', { ...validLocation, halls: [{ name: 'A', capacity: 5 }] }, 'halls.0.location'],
    [
      'duplicate hall names',
      { ...validLocation, halls: [{ name: 'A', location: 'x', capacity: 1 }, { name: 'A', location: 'y', capacity: 2 }] },
      'halls.1.name',
    ],
    ['unknown field', { ...validLocation, colour: 'red' }, '(root)'],
  ])('rejects %s with 400 naming the field', async (_case, body, field) => {
    const { call } = httpHarness();
    const result = await call('eventsApi', 'POST', '/locations', body);
    expect(result.status).toBe(400);
    expect(result.json.error.code).toBe('VALIDATION_FAILED');
    expect(result.json.error.details.map((issue: { field: string }) => issue.field)).toContain(field);
    expect((await call('eventsApi', 'GET', '/locations')).json).toEqual([]);
  });

  it('accepts the boundary hours 0 and 24', async () => {
    const { call } = httpHarness();
    const result = await call('eventsApi', 'POST', '/locations', { ...validLocation, openTime: 0, closeTime: 24 });
    expect(result.status).toBe(201);
  });
});
