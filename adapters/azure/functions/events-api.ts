import azf from '@azure/functions';
import { eventsApiRoutes } from '../../../functions/routes.js';
import { randomIds } from '../../shared/system.js';
import { CosmosEventRepository } from '../cosmos/event-repository.js';
import { CosmosLocationRepository } from '../cosmos/location-repository.js';
import { cosmosContainers } from '../environment.js';
import { httpFunctionOptions } from '../http-adapter.js';

const { events } = cosmosContainers();

/** `eventsApi`: locations and events routes. */
azf.app.http('eventsApi', httpFunctionOptions(eventsApiRoutes, { locations: new CosmosLocationRepository(events), events: new CosmosEventRepository(events), ids: randomIds }));
