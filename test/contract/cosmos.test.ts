import { randomUUID } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll } from 'vitest';
import { CosmosBookingRepository } from '../../adapters/azure/cosmos/booking-repository.js';
import { ensureContainers } from '../../adapters/azure/cosmos/containers.js';
import { CosmosEventRepository } from '../../adapters/azure/cosmos/event-repository.js';
import { CosmosGameMapRepository } from '../../adapters/azure/cosmos/game-map-repository.js';
import { CosmosLocationRepository } from '../../adapters/azure/cosmos/location-repository.js';
import { CosmosPlayerRepository } from '../../adapters/azure/cosmos/player-repository.js';
import { startCosmosServer, type CosmosServer } from '../support/cosmosdb-server.js';
import { describePortContracts, type PortsUnderTest } from './port-contracts.js';

// describePortContracts declares its own describe blocks, so the server is started by this file-level
// hook and the factory reads the ports it built.
let server: CosmosServer | undefined;
let ports: PortsUnderTest | undefined;

beforeAll(async () => {
  server = await startCosmosServer();
  const containers = await ensureContainers(server.client, `contract-${randomUUID().slice(0, 8)}`);
  ports = {
    locations: new CosmosLocationRepository(containers.events),
    events: new CosmosEventRepository(containers.events),
    bookings: new CosmosBookingRepository(containers.bookings),
    players: new CosmosPlayerRepository(containers.players),
    gameMap: new CosmosGameMapRepository(containers.gameMap),
    storedTraceparent: {
      location: (id) => traceparentOf(containers.events, id, `location:${id}`),
      event: (id) => traceparentOf(containers.events, id, `event:${id}`),
      knownEvent: (eventId) => traceparentOf(containers.bookings, 'known-event', eventId),
      booking: (booking) => traceparentOf(containers.bookings, booking.id, booking.eventId),
      player: (id) => traceparentOf(containers.players, id, id),
    },
  };
}, 30_000);

async function traceparentOf(container: Container, id: string, partitionKey: string): Promise<unknown> {
  const { resource } = await container.item(id, partitionKey).read<Record<string, unknown>>();
  if (resource === undefined) throw new Error(`no document ${id} in ${partitionKey}`);
  return resource['traceparent'];
}

afterAll(async () => {
  await server?.stop();
}, 15_000);

describePortContracts('Cosmos DB repositories on @vercel/cosmosdb-server', () => {
  if (ports === undefined) throw new Error('cosmosdb-server is not running: see the error of beforeAll');
  return ports;
});
