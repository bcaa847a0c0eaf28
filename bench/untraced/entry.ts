/** What the per-request and per-batch budget rows run, built twice by bench/untraced/variants.ts: with and without trace context. */
export { httpTrigger } from '../../adapters/aws/http-trigger.js';
export { queueTrigger } from '../../adapters/aws/queue-trigger.js';
export { MemoryBookingRepository, MemoryEventRepository, MemoryLocationRepository } from '../../adapters/memory/repositories.js';
export { randomIds } from '../../adapters/shared/system.js';
export { bookingsConsumer } from '../../functions/queues/bookings-consumer.js';
export { eventsApiRoutes } from '../../functions/routes.js';
