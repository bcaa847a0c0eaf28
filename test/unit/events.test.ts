import { describe, expect, it } from 'vitest';
import { httpHarness, validEvent, validLocation } from '../support/http-harness.js';

async function withLocation() {
  const harness = httpHarness();
  const location = await harness.call('eventsApi', 'POST', '/locations', validLocation);
  return { ...harness, locationId: location.json.id as string };
}

describe('events', () => {
  it("creates an event with its hall's capacity and no seats booked", async () => {
    const { call, locationId } = await withLocation();
    const result = await call('eventsApi', 'POST', '/events', validEvent(locationId, 'Side'));
    expect(result.status).toBe(201);
    expect(result.json).toEqual({ id: 'id-2', ...validEvent(locationId, 'Side'), capacity: 3, seatsBooked: 0 });
  });

  it('finds events by id, by /events/id/{id}, by name, and lists them', async () => {
    const { call, locationId } = await withLocation();
    const created = await call('eventsApi', 'POST', '/events', validEvent(locationId));
    const id = created.json.id;
    expect((await call('eventsApi', 'GET', `/events/${id}`)).json).toEqual(created.json);
    expect((await call('eventsApi', 'GET', `/events/id/${id}`)).json).toEqual(created.json);
    expect((await call('eventsApi', 'GET', `/events/name/${encodeURIComponent('Opera Aida')}`)).json).toEqual(created.json);
    expect((await call('eventsApi', 'GET', '/events')).json).toEqual([created.json]);
  });

  it.each([
    ['GET', '/events/unknown'],
    ['GET', '/events/id/unknown'],
    ['GET', '/events/name/unknown'],
  ])('%s %s is 404 when nothing matches', async (method, path) => {
    const { call } = await withLocation();
    const result = await call('eventsApi', method, path);
    expect(result.status).toBe(404);
    expect(result.json.error.code).toBe('NOT_FOUND');
  });

  it('answers 422 naming locationId when the location does not exist', async () => {
    const { call } = await withLocation();
    const result = await call('eventsApi', 'POST', '/events', validEvent('no-such-location'));
    expect(result.status).toBe(422);
    expect(result.json.error).toMatchObject({ code: 'UNKNOWN_LOCATION', details: [{ field: 'locationId' }] });
  });

  it('answers 422 naming hall when the location has no such hall', async () => {
    const { call, locationId } = await withLocation();
    const result = await call('eventsApi', 'POST', '/events', validEvent(locationId, 'Basement'));
    expect(result.status).toBe(422);
    expect(result.json.error).toMatchObject({ code: 'UNKNOWN_HALL', details: [{ field: 'hall' }] });
  });

  it('answers 409 when an event with the same name exists', async () => {
    const { call, locationId } = await withLocation();
    expect((await call('eventsApi', 'POST', '/events', validEvent(locationId))).status).toBe(201);
    const second = await call('eventsApi', 'POST', '/events', validEvent(locationId, 'Side'));
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe('EVENT_NAME_TAKEN');
    expect((await call('eventsApi', 'GET', '/events')).json).toHaveLength(1);
  });

  it.each([
    ['endDate before startDate', { endDate: '2026-12-01T18:00:00Z' }, 'endDate'],
    ['endDate equal to startDate', { endDate: '2026-12-01T19:00:00Z' }, 'endDate'],
    ['startDate not ISO-8601', { startDate: '1 December 2026' }, 'startDate'],
    ['startDate without time', { startDate: '2026-12-01' }, 'startDate'],
    ['duration zero', { duration: 0 }, 'duration'],
    ['duration as string', { duration: '180' }, 'duration'],
    ['duration fractional', { duration: 1.5 }, 'duration'],
    ['missing hall', { hall: undefined }, 'hall'],
    ['missing locationId', { locationId: undefined }, 'locationId'],
  ])('rejects %s with 400 naming the field', async (_case, change, field) => {
    const { call, locationId } = await withLocation();
    const result = await call('eventsApi', 'POST', '/events', { ...validEvent(locationId), ...change });
    expect(result.status).toBe(400);
    expect(result.json.error.details.map((issue: { field: string }) => issue.field)).toContain(field);
  });

  it('accepts dates with an offset', async () => {
    const { call, locationId } = await withLocation();
    const result = await call('eventsApi', 'POST', '/events', {
      ...validEvent(locationId),
      startDate: '2026-12-01T19:00:00+01:00',
      endDate: '2026-12-01T22:00:00+01:00',
    });
    expect(result.status).toBe(201);
  });
});
