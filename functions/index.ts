/** The deployed functions by name, identical on every platform; adapters wire each to its trigger. */
export { httpFunctions, type HttpFunctionDeps, type HttpFunctionName } from './routes.js';
export { eventsOutbox, type EventsOutboxDeps } from './streams/events-outbox.js';
export { bookingsOutbox, type BookingsOutboxDeps } from './streams/bookings-outbox.js';
export { placePlayers, type PlacePlayersDeps } from './streams/place-players.js';
export { bookingsConsumer, type BookingsConsumerDeps } from './queues/bookings-consumer.js';
export { eventsConsumer, type EventsConsumerDeps } from './queues/events-consumer.js';
export type { ApiRequest, ApiResponse, Route } from './http/contract.js';
export type { ChangeRecord, ChangeHandler } from './streams/contract.js';
export type { QueueMessage, MessageHandler } from './queues/contract.js';
