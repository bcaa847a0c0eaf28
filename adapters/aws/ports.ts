import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FunctionSpec, QueueName } from '../../functions/catalogue.js';
import { publishedQueue, type Assert, type PortFactories } from '../shared/compose.js';
import { randomIds, systemClock } from '../shared/system.js';
import { DynamoBookingRepository } from './dynamodb/booking-repository.js';
import { createDocumentClient } from './dynamodb/document-client.js';
import { DynamoEventRepository } from './dynamodb/event-repository.js';
import { DynamoGameMapRepository } from './dynamodb/game-map-repository.js';
import { DynamoLocationRepository } from './dynamodb/location-repository.js';
import { DynamoPlayerRepository } from './dynamodb/player-repository.js';
import { requiredEnv } from './environment.js';
import { SqsPublisher } from './sqs-publisher.js';
import type * as thisModule from './ports.js';

/**
 * Every port on AWS, each from the table or queue serverless.yml names in the function's environment.
 * One export per port, not one object: a Lambda bundle keeps only the ports its entry imports.
 */

let documents: DynamoDBDocumentClient | undefined;
/** One DocumentClient per Lambda (one function per bundle), shared by its repositories. */
const documentClient = (): DynamoDBDocumentClient => (documents ??= createDocumentClient());

const QUEUE_URLS: Record<QueueName, string> = { bookings: 'BOOKINGS_QUEUE_URL', events: 'EVENTS_QUEUE_URL' };

export const locations = (): DynamoLocationRepository => new DynamoLocationRepository(documentClient(), requiredEnv('EVENTS_TABLE'));
export const events = (): DynamoEventRepository => new DynamoEventRepository(documentClient(), requiredEnv('EVENTS_TABLE'));
export const bookings = (): DynamoBookingRepository => new DynamoBookingRepository(documentClient(), requiredEnv('BOOKINGS_TABLE'));
export const players = (): DynamoPlayerRepository => new DynamoPlayerRepository(documentClient(), requiredEnv('PLAYERS_TABLE'));
export const gameMap = (): DynamoGameMapRepository => new DynamoGameMapRepository(documentClient(), requiredEnv('GAME_MAP_TABLE'));
export const publisher = (spec: FunctionSpec): SqsPublisher => new SqsPublisher(requiredEnv(QUEUE_URLS[publishedQueue(spec)]));
export const clock = () => systemClock;
export const ids = () => randomIds;

/** Every port has an AWS factory: a port added to the catalogue without one fails to compile here. */
export type AwsPortsComplete = Assert<typeof thisModule extends PortFactories ? true : false>;
