import type { Container } from '@azure/cosmos';
import { QueueServiceClient } from '@azure/storage-queue';
import { createCosmosClient, parseConnectionString } from './cosmos/client.js';
import { containersOf, type ContainerName } from './cosmos/containers.js';
import { StorageQueuePublisher } from './storage-queue-publisher.js';

/** App settings the functions read (local.settings.json locally, the Function App's settings on Azure). */
export const SETTINGS = {
  /** Cosmos DB connection string; also the connection the change-feed triggers name. */
  cosmosConnection: 'COSMOS_CONNECTION',
  cosmosDatabase: 'COSMOS_DATABASE',
  /** Storage account connection string for the queues; also the connection the queue triggers name. */
  queueConnection: 'QUEUE_CONNECTION',
  bookingsQueue: 'BOOKINGS_QUEUE',
  eventsQueue: 'EVENTS_QUEUE',
} as const;

/** A setting the deployment must provide; a missing one fails at start-up, naming it. */
export class MissingSettingError extends Error {
  constructor(readonly setting: string) {
    super(`App setting ${setting} is not set (see local.settings.example.json and infra/azure/main.bicep)`);
    this.name = 'MissingSettingError';
  }
}

/** Reads an app setting; throws MissingSettingError when it is absent or empty. */
export function requiredSetting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new MissingSettingError(name);
  return value;
}

let containers: Record<ContainerName, Container> | undefined;

/**
 * The app's Cosmos DB containers. All functions of a Function App run in one Node.js worker, so they
 * share one client (one connection pool), created on first use.
 */
export function cosmosContainers(): Record<ContainerName, Container> {
  containers ??= containersOf(createCosmosClient(parseConnectionString(requiredSetting(SETTINGS.cosmosConnection))).database(requiredSetting(SETTINGS.cosmosDatabase)));
  return containers;
}

let queues: QueueServiceClient | undefined;

/** A publisher to the queue an app setting names (`BOOKINGS_QUEUE`, `EVENTS_QUEUE`), base64 as host.json declares. */
export function queuePublisher(queueSetting: string): StorageQueuePublisher {
  queues ??= QueueServiceClient.fromConnectionString(requiredSetting(SETTINGS.queueConnection));
  return new StorageQueuePublisher(queues.getQueueClient(requiredSetting(queueSetting)), 'base64');
}
