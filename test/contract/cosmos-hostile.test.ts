import { randomUUID } from 'node:crypto';
import { CosmosBookingRepository } from '../../adapters/azure/cosmos/booking-repository.js';
import { ensureContainers } from '../../adapters/azure/cosmos/containers.js';
import { CosmosEventRepository } from '../../adapters/azure/cosmos/event-repository.js';
import { CosmosGameMapRepository } from '../../adapters/azure/cosmos/game-map-repository.js';
import { CosmosLocationRepository } from '../../adapters/azure/cosmos/location-repository.js';
import { CosmosPlayerRepository } from '../../adapters/azure/cosmos/player-repository.js';
import { startCosmosServer } from '../support/cosmosdb-server.js';
import { describeHostileInputOn } from '../support/hostile-engine.js';

// cosmosdb-server does not enforce every limit of Cosmos DB (ids of 1,023 bytes without / \ ? #): this
// shows the Cosmos repositories behind the same edge answer 4xx, not that the service itself would refuse.
describeHostileInputOn('Cosmos DB repositories on @vercel/cosmosdb-server', async () => {
  const server = await startCosmosServer();
  const containers = await ensureContainers(server.client, `hostile-${randomUUID().slice(0, 8)}`);
  return {
    repositories: {
      locations: new CosmosLocationRepository(containers.events),
      events: new CosmosEventRepository(containers.events),
      bookings: new CosmosBookingRepository(containers.bookings),
      players: new CosmosPlayerRepository(containers.players),
      gameMap: new CosmosGameMapRepository(containers.gameMap),
    },
    stop: () => server.stop(),
  };
}, 30);
