import { MemoryTable } from '../../adapters/memory/memory-table.js';
import {
  MemoryBookingRepository,
  MemoryEventRepository,
  MemoryGameMapRepository,
  MemoryLocationRepository,
  MemoryPlayerRepository,
} from '../../adapters/memory/repositories.js';
import { describePortContracts } from './port-contracts.js';

describePortContracts('in-memory', () => {
  const eventsTable = new MemoryTable();
  return {
    locations: new MemoryLocationRepository(eventsTable),
    events: new MemoryEventRepository(eventsTable),
    bookings: new MemoryBookingRepository(),
    players: new MemoryPlayerRepository(),
    gameMap: new MemoryGameMapRepository(),
  };
});
