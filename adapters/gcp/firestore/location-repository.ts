import { listOrder } from '../../../functions/domain/list-order.js';
import { locationSchema, type Location } from '../../../functions/domain/location.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { LocationRepository } from '../../../functions/ports.js';
import { stampWriter } from '../../shared/trace-carriers.js';
import { CollectionRepository, documentId, requiredDocumentId } from './client.js';
import { listFields, readListPage, type ListedCollection } from './paging.js';

const KIND = 'LOCATION';
const LOCATIONS: ListedCollection<Location> = { ...listOrder.locations, parse: (document) => locationSchema.parse(document) };

/**
 * Locations in the events service's collection (shared with events), each a document of its own:
 * `LOCATION#<id>` → `{ entity, ...location, listName: 'locations', listPosition: <id> }`. The
 * collection's Firestore trigger announces new locations (LocationCreated), so documents hold the
 * domain fields verbatim. Reads of one document are strongly consistent, and so are queries.
 */
export class FirestoreLocationRepository extends CollectionRepository implements LocationRepository {
  async add(location: Location): Promise<void> {
    await this.collection()
      .doc(requiredDocumentId(KIND, location.id))
      .set(stampWriter({ entity: ENTITY.location, ...location, ...listFields(LOCATIONS.list, listOrder.locations.positionOf(location)) }, this.boundHop?.traceparent));
  }

  async get(id: string): Promise<Location | undefined> {
    const name = documentId(KIND, id);
    if (name === undefined) return undefined;
    const snapshot = await this.collection().doc(name).get();
    return snapshot.exists ? locationSchema.parse(snapshot.data()) : undefined;
  }

  list(page: PageRequest): Promise<Page<Location>> {
    return readListPage(this.collection(), LOCATIONS, page);
  }
}
