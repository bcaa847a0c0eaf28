import azf from '@azure/functions';
import { eventsConsumer } from '../../../functions/queues/events-consumer.js';
import { CosmosEventRepository } from '../cosmos/event-repository.js';
import { cosmosContainers, SETTINGS } from '../environment.js';
import { storageQueueFunctionOptions } from '../storage-queue-adapter.js';

/** `eventsConsumer`: the events queue → seatsBooked of each event. */
azf.app.storageQueue('eventsConsumer', storageQueueFunctionOptions(SETTINGS.eventsQueue, SETTINGS.queueConnection, eventsConsumer, { events: new CosmosEventRepository(cosmosContainers().events) }));
