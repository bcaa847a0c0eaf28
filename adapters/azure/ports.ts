import type { FunctionSpec, QueueName } from '../../functions/catalogue.js';
import { publishedQueue, type Assert, type PortFactories } from '../shared/compose.js';
import { randomIds, systemClock } from '../shared/system.js';
import { CosmosBookingRepository } from './cosmos/booking-repository.js';
import { CosmosEventRepository } from './cosmos/event-repository.js';
import { CosmosGameMapRepository } from './cosmos/game-map-repository.js';
import { CosmosLocationRepository } from './cosmos/location-repository.js';
import { CosmosPlayerRepository } from './cosmos/player-repository.js';
import { cosmosContainers, queuePublisher, SETTINGS } from './environment.js';
import type { StorageQueuePublisher } from './storage-queue-publisher.js';
import type * as thisModule from './ports.js';

/**
 * Every port on Azure: the repositories on the app's Cosmos DB containers (one client for the whole
 * worker), publishers to the Storage queues the app settings name. One export per port, as on AWS.
 */

/** The app setting naming each queue, for the publishers and the queue triggers alike. */
export const QUEUE_SETTINGS: Record<QueueName, string> = { bookings: SETTINGS.bookingsQueue, events: SETTINGS.eventsQueue };

export const locations = (): CosmosLocationRepository => new CosmosLocationRepository(cosmosContainers().events);
export const events = (): CosmosEventRepository => new CosmosEventRepository(cosmosContainers().events);
export const bookings = (): CosmosBookingRepository => new CosmosBookingRepository(cosmosContainers().bookings);
export const players = (): CosmosPlayerRepository => new CosmosPlayerRepository(cosmosContainers().players);
export const gameMap = (): CosmosGameMapRepository => new CosmosGameMapRepository(cosmosContainers().gameMap);
export const publisher = (spec: FunctionSpec): StorageQueuePublisher => queuePublisher(QUEUE_SETTINGS[publishedQueue(spec)]);
export const clock = () => systemClock;
export const ids = () => randomIds;

/** Every port has an Azure factory: a port added to the catalogue without one fails to compile here. */
export type AzurePortsComplete = Assert<typeof thisModule extends PortFactories ? true : false>;
