import azf from '@azure/functions';
import { bookingsConsumer } from '../../../functions/queues/bookings-consumer.js';
import { CosmosBookingRepository } from '../cosmos/booking-repository.js';
import { cosmosContainers, SETTINGS } from '../environment.js';
import { storageQueueFunctionOptions } from '../storage-queue-adapter.js';

/** `bookingsConsumer`: the bookings queue → the booking service's view of events. */
azf.app.storageQueue('bookingsConsumer', storageQueueFunctionOptions(SETTINGS.bookingsQueue, SETTINGS.queueConnection, bookingsConsumer, { bookings: new CosmosBookingRepository(cosmosContainers().bookings) }));
