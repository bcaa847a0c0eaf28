import type { CollectionReference, DocumentData } from '@google-cloud/firestore';
import { decodeCursor, pageOf, type Page, type PageRequest } from '../../../functions/paging.js';

/**
 * Lists in Firestore: a listed document carries its list's name and its list position
 * (functions/domain/list-order.ts) as two fields, and a page is one query
 * `listName == L orderBy listPosition startAfter <cursor position> limit (limit + 1)` over the
 * composite index (listName, listPosition) that infra/gcp/firestore.indexes.json declares. Keyset
 * paging: the cost of a page is bounded by the limit, never by the size of the list, and items added
 * while a client pages are never seen twice nor make it skip one. Our opaque cursor carries the
 * position; Firestore's own cursor (startAfter) is built from it on each request.
 */
export const LIST_FIELDS = { name: 'listName', position: 'listPosition' } as const;

/** The fields that put a document in list `list` at `position`. */
export const listFields = (list: string, position: string) => ({ [LIST_FIELDS.name]: list, [LIST_FIELDS.position]: position });

export interface ListedCollection<T> {
  /** The list's name in cursors and in the listName field. */
  list: string;
  isPosition: (position: string) => boolean;
  positionOf: (item: T) => string;
  parse: (document: DocumentData) => T;
  /**
   * Only the documents of this owner (a caller's bookings), with `stored` the listName they carry (the
   * event's list): by the composite index (listName, owner, listPosition) of firestore.indexes.json.
   */
  owner?: { stored: string; owner: string };
}

/** One page of a list kept in `collection`, after the position the request's cursor names. */
export async function readListPage<T>(collection: CollectionReference, listed: ListedCollection<T>, page: PageRequest): Promise<Page<T>> {
  const after = page.cursor === undefined ? undefined : decodeCursor(listed.list, page.cursor, listed.isPosition);
  let query =
    listed.owner === undefined
      ? collection.where(LIST_FIELDS.name, '==', listed.list).orderBy(LIST_FIELDS.position)
      : collection.where(LIST_FIELDS.name, '==', listed.owner.stored).where('owner', '==', listed.owner.owner).orderBy(LIST_FIELDS.position);
  if (after !== undefined) query = query.startAfter(after);
  // One more than a page tells whether another page follows, without an empty last page.
  const snapshot = await query.limit(page.limit + 1).get();
  const items = snapshot.docs.map((document) => listed.parse(document.data()));
  return pageOf(items.slice(0, page.limit), items.length > page.limit, listed.list, listed.positionOf);
}
