import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreBookingRepository } from '../../adapters/gcp/firestore/booking-repository.js';
import { FirestoreEventRepository } from '../../adapters/gcp/firestore/event-repository.js';
import { FirestoreGameMapRepository } from '../../adapters/gcp/firestore/game-map-repository.js';
import { FirestoreLocationRepository } from '../../adapters/gcp/firestore/location-repository.js';
import { FirestorePlayerRepository } from '../../adapters/gcp/firestore/player-repository.js';
import { createFirestore } from '../../adapters/gcp/firestore/client.js';
import type { Booking } from '../../functions/domain/booking.js';
import { LOCAL_PROJECT_ID } from '../../offline/gcp/gcp-emulators.js';
import { startFirestore, uniqueCollections, type FirestoreUnderTest } from '../support/firestore-emulator.js';
import { describePortContracts, type PortsUnderTest } from './port-contracts.js';

// describePortContracts declares its own describe blocks, so the emulator is started by this
// file-level hook and the factory reads the ports it built.
let local: FirestoreUnderTest | undefined;
let ports: PortsUnderTest | undefined;
const collections = uniqueCollections(`contract-${randomUUID().slice(0, 8)}`);

beforeAll(async () => {
  local = await startFirestore();
  const { firestore } = local;
  ports = {
    locations: new FirestoreLocationRepository(firestore, collections.events),
    events: new FirestoreEventRepository(firestore, collections.events),
    bookings: new FirestoreBookingRepository(firestore, collections.bookings),
    players: new FirestorePlayerRepository(firestore, collections.players),
    gameMap: new FirestoreGameMapRepository(firestore, collections.gameMap),
    storedTraceparent: {
      location: (id) => traceparentOf(collections.events, `LOCATION#${id}`),
      event: (id) => traceparentOf(collections.events, `EVENT#${id}`),
      knownEvent: (eventId) => traceparentOf(collections.bookings, `EVENT#${eventId}`),
      booking: (booking) => traceparentOf(collections.bookings, `BOOKING#${booking.id}`),
      player: (id) => traceparentOf(collections.players, `PLAYER#${id}`),
    },
  };
  async function traceparentOf(collection: string, documentId: string): Promise<unknown> {
    const snapshot = await firestore.collection(collection).doc(documentId).get();
    if (!snapshot.exists) throw new Error(`no document ${documentId} in ${collection}`);
    return snapshot.get('traceparent') as unknown;
  }
}, 60_000);

afterAll(async () => {
  await local?.stop();
}, 15_000);

const portsOrFail = (): PortsUnderTest => {
  if (ports === undefined) throw new Error('The Firestore emulator is not running: see the error of beforeAll');
  return ports;
};

describePortContracts('Firestore emulator', portsOrFail);

describe('Firestore booking repository under contention', () => {
  it('books exactly 25 of 200 concurrent single-seat bookings on 25 seats, made through 4 instances', async () => {
    // Prepare: four repositories with a client each, as four function instances would book.
    if (local === undefined) throw new Error('The Firestore emulator is not running: see the error of beforeAll');
    const instances = Array.from({ length: 4 }, () => createFirestore({ projectId: LOCAL_PROJECT_ID, host: local!.emulator.host, ssl: false }));
    const repositories = instances.map((firestore) => new FirestoreBookingRepository(firestore, collections.bookings));
    const eventId = `ev-${randomUUID()}`;
    await portsOrFail().bookings.rememberEvent({ eventId, capacity: 25, seatsBooked: 0 });
    const requests: Booking[] = Array.from({ length: 200 }, (_, index) => ({
      id: `bk-${randomUUID()}`,
      eventId,
      seats: 1,
      createdAt: new Date(Date.UTC(2026, 4, 1, 10, 0, 0, index)).toISOString(),
      owner: 'user-1',
    }));

    // Act
    const outcomes = await Promise.all(requests.map((booking, index) => repositories[index % repositories.length]!.book(booking)));
    await Promise.all(instances.map((firestore) => firestore.terminate()));

    // Assess
    expect(outcomes.filter((result) => result.outcome === 'booked')).toHaveLength(25);
    expect(outcomes.filter((result) => result.outcome === 'insufficient-seats')).toHaveLength(175);
    const { bookings } = portsOrFail();
    expect(await bookings.getEvent(eventId)).toEqual({ eventId, capacity: 25, seatsBooked: 25 });
    expect((await bookings.listForEvent(eventId, { limit: 100 })).items).toHaveLength(25);
  }, 60_000);
});
