import { FieldValue, Firestore, type Settings, type UpdateData } from '@google-cloud/firestore';
import { HopBound, TRACEPARENT_FIELD } from '../../shared/trace-carriers.js';

/**
 * The Firestore client every repository uses. The endpoint is the client's business: it honours
 * FIRESTORE_EMULATOR_HOST (npm run start:gcp, tests), or pass settings naming one.
 */
export function createFirestore(settings: Settings = {}): Firestore {
  // Optional domain fields that are undefined are simply not stored, rather than failing the write.
  return new Firestore({ ignoreUndefinedProperties: true, ...emulatorCredentials(settings), ...settings });
}

/**
 * The emulators check no credentials, but without any the auth library first probes the GCE metadata
 * server (1.5 s and a warning on every cold start, and no answer off Google Cloud). Placeholder
 * credentials skip that probe; they are only ever given when talking to an emulator.
 */
function emulatorCredentials(settings: Settings): Settings {
  const onEmulator = (process.env['FIRESTORE_EMULATOR_HOST'] ?? '') !== '' || settings.ssl === false;
  return onEmulator ? { credentials: { client_email: 'emulator@localhost', private_key: 'unused-by-the-emulator' } } : {};
}

/**
 * The collections of one deployment, one per AWS table (events, bookings, players, game map): a
 * collection holds the same documents as its table, so one Firestore trigger per collection plays the
 * part of one table's stream.
 */
export interface CollectionNames {
  events: string;
  bookings: string;
  players: string;
  gameMap: string;
}

/** gRPC status codes the repositories tell apart (google.rpc.Code). */
export const GrpcStatus = { NOT_FOUND: 5, ALREADY_EXISTS: 6, FAILED_PRECONDITION: 9, ABORTED: 10 } as const;

/** True when a Firestore call failed with gRPC status `code`. */
export function failedWith(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** Firestore's limit on a document id. */
const MAX_DOCUMENT_ID_BYTES = 1500;

/**
 * The document id of `<kind>#<id>`, the same key as on DynamoDB. Ids come from path parameters too,
 * so `%` and `/` (which would address another collection) are escaped: injective, and the kind prefix
 * keeps `.`, `..` and `__x__` (reserved ids) out. Undefined when the id cannot name a document (too
 * long): such a document cannot exist, so reads treat it as missing.
 */
export function documentId(kind: string, id: string): string | undefined {
  const documentIdText = `${kind}#${id.replaceAll('%', '%25').replaceAll('/', '%2F')}`;
  return Buffer.byteLength(documentIdText, 'utf8') <= MAX_DOCUMENT_ID_BYTES ? documentIdText : undefined;
}

/** documentId for a write, where an id that cannot be stored is a bug to surface. */
export function requiredDocumentId(kind: string, id: string): string {
  const documentIdText = documentId(kind, id);
  if (documentIdText === undefined) throw new RangeError(`${kind} id is too long for a Firestore document id`);
  return documentIdText;
}

/** What every repository of ours holds: the client and its collection (one per service, as on the other engines). */
export abstract class CollectionRepository extends HopBound {
  constructor(
    protected readonly firestore: Firestore,
    protected readonly collectionName: string,
  ) {
    super();
  }

  protected collection() {
    return this.firestore.collection(this.collectionName);
  }
}

/**
 * An update's fields with the writer's `traceparent` set on the document (trace-carriers.ts), or
 * deleted when the repository is bound to no hop, so the change it causes never names an older writer.
 */
export function tracedUpdate(fields: UpdateData<Record<string, unknown>>, traceparent: string | undefined): UpdateData<Record<string, unknown>> {
  return { ...fields, [TRACEPARENT_FIELD]: traceparent ?? FieldValue.delete() };
}
