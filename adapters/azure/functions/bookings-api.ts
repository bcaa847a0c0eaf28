import azf from '@azure/functions';
import { bookingsApiRoutes } from '../../../functions/routes.js';
import { randomIds, systemClock } from '../../shared/system.js';
import { CosmosBookingRepository } from '../cosmos/booking-repository.js';
import { cosmosContainers } from '../environment.js';
import { httpFunctionOptions } from '../http-adapter.js';

/** `bookingsApi`: bookings routes. */
azf.app.http('bookingsApi', httpFunctionOptions(bookingsApiRoutes, { bookings: new CosmosBookingRepository(cosmosContainers().bookings), clock: systemClock, ids: randomIds }));
