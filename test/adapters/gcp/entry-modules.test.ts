import { getFunction } from '@google-cloud/functions-framework/testing';
import { describe, expect, it } from 'vitest';
import { httpFunctions } from '../../../functions/routes.js';

/**
 * The entry modules exactly as deployed (adapters/gcp/functions/*.ts): importing one registers its
 * function with functions-framework under the name every platform uses. Clients connect lazily, so
 * importing needs no emulator.
 */
const ENTRIES = {
  eventsApi: '../../../adapters/gcp/functions/events-api.js',
  bookingsApi: '../../../adapters/gcp/functions/bookings-api.js',
  playersApi: '../../../adapters/gcp/functions/players-api.js',
  bookingsConsumer: '../../../adapters/gcp/functions/bookings-consumer.js',
  eventsConsumer: '../../../adapters/gcp/functions/events-consumer.js',
  eventsOutbox: '../../../adapters/gcp/functions/events-outbox.js',
  bookingsOutbox: '../../../adapters/gcp/functions/bookings-outbox.js',
  placePlayers: '../../../adapters/gcp/functions/place-players.js',
} as const;

describe('GCP entry modules', () => {
  it.each(Object.entries(ENTRIES))('%s registers itself under its own name and exports the same handler', async (name, path) => {
    // Act
    const module = (await import(path)) as Record<string, unknown>;

    // Assess
    expect(typeof module[name]).toBe('function');
    expect(getFunction(name)).toBe(module[name]);
  });

  it('registers a function for every HTTP function of the route table', async () => {
    for (const path of Object.values(ENTRIES)) await import(path);
    expect(Object.keys(httpFunctions).filter((name) => getFunction(name) === undefined)).toEqual([]);
  });
});
