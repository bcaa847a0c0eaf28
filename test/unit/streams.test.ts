import { describe, expect, it } from 'vitest';
import { MemoryGameMapRepository } from '../../adapters/memory/repositories.js';
import { MalformedMessageError } from '../../functions/errors.js';
import { bookingsOutbox, eventsOutbox, placePlayers, type ChangeRecord } from '../../functions/index.js';
import { fixedClock, RecordingPublisher } from '../support/doubles.js';

const location = { id: 'loc-1', name: 'Arena', address: 'Main St 1', country: 'DE', openTime: 8, closeTime: 22, halls: [{ name: 'A', location: 'ground', capacity: 5 }] };
const event = { id: 'ev-1', name: 'Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: 'loc-1', hall: 'A', capacity: 5, seatsBooked: 0 };
const booking = { id: 'bk-1', eventId: 'ev-1', seats: 2, createdAt: '2026-05-01T10:00:00.000Z' };

const insert = (after: Record<string, unknown>, id = 'r-1'): ChangeRecord => ({ id, kind: 'insert', key: { pk: 'x' }, after });

describe('eventsOutbox', () => {
  it('publishes LocationCreated for an inserted location, with a deterministic id', async () => {
    const publisher = new RecordingPublisher();
    await eventsOutbox(insert({ entity: 'location', pk: 'LOCATION#loc-1', ...location }), { publisher, clock: fixedClock() });
    expect(publisher.published).toEqual([
      { id: 'LocationCreated/loc-1', type: 'LocationCreated', source: '/myevents/events-service', time: '2026-05-01T10:00:00.000Z', data: location },
    ]);
  });

  it('publishes EventCreated with the capacity for an inserted event', async () => {
    const publisher = new RecordingPublisher();
    await eventsOutbox(insert({ entity: 'event', ...event, listPk: 'EVENTS#0', listSk: `${event.startDate}#${event.id}` }), { publisher, clock: fixedClock() });
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({ id: 'EventCreated/ev-1', type: 'EventCreated', data: { id: 'ev-1', capacity: 5, hall: 'A' } });
  });

  it('publishes the same envelope id when a record is delivered twice', async () => {
    const publisher = new RecordingPublisher();
    const record = insert({ entity: 'event', ...event });
    await eventsOutbox(record, { publisher, clock: fixedClock() });
    await eventsOutbox(record, { publisher, clock: fixedClock() });
    expect(publisher.published.map((published) => published.id)).toEqual(['EventCreated/ev-1', 'EventCreated/ev-1']);
  });

  it('ignores modifications, removals and helper documents', async () => {
    const publisher = new RecordingPublisher();
    const deps = { publisher, clock: fixedClock() };
    await eventsOutbox({ id: 'r', kind: 'modify', key: {}, before: { entity: 'event', ...event }, after: { entity: 'event', ...event, seatsBooked: 2 } }, deps);
    await eventsOutbox({ id: 'r', kind: 'remove', key: {}, before: { entity: 'location', ...location } }, deps);
    await eventsOutbox(insert({ entity: 'event-name', eventId: 'ev-1' }), deps);
    expect(publisher.published).toEqual([]);
  });

  it('throws MalformedMessageError for a stored event that breaks its schema', async () => {
    const publisher = new RecordingPublisher();
    await expect(eventsOutbox(insert({ entity: 'event', id: 'ev-1' }), { publisher, clock: fixedClock() })).rejects.toBeInstanceOf(MalformedMessageError);
    expect(publisher.published).toEqual([]);
  });
});

describe('bookingsOutbox', () => {
  it('publishes EventBooked for an inserted booking only', async () => {
    const publisher = new RecordingPublisher();
    const deps = { publisher, clock: fixedClock() };
    await bookingsOutbox(insert({ entity: 'booking', ...booking }), deps);
    await bookingsOutbox(insert({ entity: 'known-event', eventId: 'ev-1', capacity: 5, seatsBooked: 0 }), deps);
    await bookingsOutbox(insert({ entity: 'idempotency-key', booking }), deps);
    expect(publisher.published).toEqual([
      {
        id: 'EventBooked/bk-1',
        type: 'EventBooked',
        source: '/myevents/bookings-service',
        time: '2026-05-01T10:00:00.000Z',
        data: { bookingId: 'bk-1', eventId: 'ev-1', seats: 2, createdAt: booking.createdAt },
      },
    ]);
  });
});

describe('placePlayers', () => {
  const player = { entity: 'player', id: 'pl-1', name: 'Mario' };

  it('places an inserted player at the start position', async () => {
    const gameMap = new MemoryGameMapRepository();
    await placePlayers(insert(player), { gameMap });
    expect((await gameMap.list({ limit: 100 })).items).toEqual([{ id: 'pl-1', name: 'Mario', position: { x: 0, y: 0 } }]);
  });

  it('does not move a player back when its insert is delivered again', async () => {
    const gameMap = new MemoryGameMapRepository();
    await placePlayers(insert(player), { gameMap });
    await gameMap.remove('pl-1');
    await gameMap.placeIfAbsent({ id: 'pl-1', name: 'Mario', position: { x: 7, y: 2 } });
    await placePlayers(insert(player), { gameMap });
    expect(await gameMap.position('pl-1')).toEqual({ x: 7, y: 2 });
  });

  it('takes a removed player off the map, and a replayed remove changes nothing', async () => {
    const gameMap = new MemoryGameMapRepository();
    await placePlayers(insert(player), { gameMap });
    await placePlayers(insert({ entity: 'player', id: 'pl-2', name: 'Luigi' }), { gameMap });
    const remove: ChangeRecord = { id: 'r-2', kind: 'remove', key: {}, before: player };
    await placePlayers(remove, { gameMap });
    await placePlayers(remove, { gameMap });
    expect((await gameMap.list({ limit: 100 })).items.map((placed) => placed.id)).toEqual(['pl-2']);
  });

  it('ignores modifications', async () => {
    const gameMap = new MemoryGameMapRepository();
    await placePlayers({ id: 'r', kind: 'modify', key: {}, before: player, after: { ...player, name: 'M' } }, { gameMap });
    expect((await gameMap.list({ limit: 100 })).items).toEqual([]);
  });
});
