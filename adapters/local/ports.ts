import type { PortFactories } from '../shared/compose.js';
import { publishedQueue } from '../shared/compose.js';
import type { QueueName, StoreName } from '../../functions/catalogue.js';
import type { Clock, IdSource, Publisher } from '../../functions/ports.js';
import { MemoryTable } from '../memory/memory-table.js';
import { MemoryBookingRepository, MemoryEventRepository, MemoryGameMapRepository, MemoryLocationRepository, MemoryPlayerRepository } from '../memory/repositories.js';

/** One in-memory world: the stores whose changes trigger functions, and each port over them, shared by every function as one database would be. */
export interface MemoryWorld {
  stores: Record<StoreName, MemoryTable>;
  ports: PortFactories;
}

/**
 * Every port in memory mode: the in-memory repositories (adapters/memory/) over the world's stores,
 * each built once and shared by every function, and publishers to the in-process queues.
 */
export function memoryWorld(clock: Clock, ids: IdSource, publishers: Record<QueueName, Publisher>): MemoryWorld {
  const stores: Record<StoreName, MemoryTable> = { events: new MemoryTable(), bookings: new MemoryTable(), players: new MemoryTable() };
  const locations = new MemoryLocationRepository(stores.events);
  const events = new MemoryEventRepository(stores.events);
  const bookings = new MemoryBookingRepository(stores.bookings);
  const players = new MemoryPlayerRepository(stores.players);
  const gameMap = new MemoryGameMapRepository();
  return {
    stores,
    ports: {
      locations: () => locations,
      events: () => events,
      bookings: () => bookings,
      players: () => players,
      gameMap: () => gameMap,
      publisher: (spec) => publishers[publishedQueue(spec)],
      clock: () => clock,
      ids: () => ids,
    },
  };
}
