import type { Container } from '@azure/cosmos';
import { listOrder } from '../../../functions/domain/list-order.js';
import { locationSchema, type Location } from '../../../functions/domain/location.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { LocationRepository } from '../../../functions/ports.js';
import { HopBound, stampWriter } from '../../shared/trace-carriers.js';
import { readDocument } from './documents.js';
import { LIST_POSITION, readListPage } from './paging.js';

/** Each location is a logical partition of its own in the events container. */
export const locationPartition = (id: string): string => `location:${id}`;

/**
 * Locations in the events container (shared with events):
 * `{ id, pk: 'location:<id>', entity: 'location', ...location, listPosition: <id> }`. The container's
 * change feed announces new locations (LocationCreated), so documents hold the domain fields verbatim.
 */
export class CosmosLocationRepository extends HopBound implements LocationRepository {
  constructor(private readonly container: Container) {
    super();
  }

  async add(location: Location): Promise<void> {
    await this.container.items.upsert(
      stampWriter({
        ...location,
        pk: locationPartition(location.id),
        entity: ENTITY.location,
        [LIST_POSITION]: listOrder.locations.positionOf(location),
      }, this.boundHop?.traceparent),
    );
  }

  async get(id: string): Promise<Location | undefined> {
    const document = await readDocument(this.container, id, locationPartition(id));
    return document?.['entity'] === ENTITY.location ? locationSchema.parse(document) : undefined;
  }

  list(page: PageRequest): Promise<Page<Location>> {
    return readListPage({ container: this.container, entity: ENTITY.location, order: listOrder.locations, parse: (document) => locationSchema.parse(document) }, page);
  }
}
