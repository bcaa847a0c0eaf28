import type { Container, CosmosClient, Database, IndexingPolicy } from '@azure/cosmos';

/** The containers of the app: one per service table of the AWS deployment, plus the change feed's leases. */
export const CONTAINERS = {
  events: 'events',
  bookings: 'bookings',
  players: 'players',
  gameMap: 'game-map',
  leases: 'leases',
} as const;

export type ContainerName = keyof typeof CONTAINERS;

/**
 * Every data container is partitioned by `/pk`, a value the repositories derive from the document's
 * own id (or, for bookings, the event's), so no partition key takes every write. `defaultTtl: -1`
 * turns TTL on without a default: only documents with their own `ttl` expire (idempotency keys,
 * deleted players). The leases container is partitioned by `/id`, as the Functions extension requires.
 */
const DEFINITIONS: Record<ContainerName, { partitionKey: string; defaultTtl?: number; indexingPolicy?: IndexingPolicy }> = {
  events: { partitionKey: '/pk' },
  // A caller's bookings of an event: its partition, `owner = @owner ORDER BY listPosition` (booking-repository.ts).
  bookings: { partitionKey: '/pk', defaultTtl: -1, indexingPolicy: { compositeIndexes: [[{ path: '/owner', order: 'ascending' }, { path: '/listPosition', order: 'ascending' }]] } },
  players: { partitionKey: '/pk', defaultTtl: -1 },
  gameMap: { partitionKey: '/pk' },
  leases: { partitionKey: '/id' },
};

/** Creates the database and its containers when missing (tests, local runs); infra/azure/main.bicep declares the same. */
export async function ensureContainers(client: CosmosClient, databaseId: string): Promise<Record<ContainerName, Container>> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  const entries = await Promise.all(
    (Object.keys(DEFINITIONS) as ContainerName[]).map(async (name) => {
      const { partitionKey, defaultTtl, indexingPolicy } = DEFINITIONS[name];
      const { container } = await database.containers.createIfNotExists({
        id: CONTAINERS[name],
        partitionKey: { paths: [partitionKey] },
        ...(defaultTtl === undefined ? {} : { defaultTtl }),
        ...(indexingPolicy === undefined ? {} : { indexingPolicy }),
      });
      return [name, container] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<ContainerName, Container>;
}

/** The containers of an existing database (deployed functions: infra creates them). */
export function containersOf(database: Database): Record<ContainerName, Container> {
  return Object.fromEntries((Object.keys(CONTAINERS) as ContainerName[]).map((name) => [name, database.container(CONTAINERS[name])])) as Record<ContainerName, Container>;
}
