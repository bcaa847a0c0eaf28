import * as z from 'zod/mini';
import './zod-locale.js';
import { idSchema, urlNameSchema } from './identifiers.js';

const isoDateTime = z.iso.datetime({ offset: true });

/** Body of `POST /events`. */
export const newEventSchema = z
  .strictObject({
    /** Looked up by `GET /events/name/{name}`: refused, not trimmed, when it could not be found again. */
    name: urlNameSchema,
    /** Minutes. */
    duration: z.number().check(z.int(), z.positive(), z.maximum(60 * 24 * 366)),
    startDate: isoDateTime,
    endDate: isoDateTime,
    locationId: idSchema,
    hall: z.string().check(z.minLength(1)),
  })
  .check(
    z.refine((event) => Date.parse(event.endDate) > Date.parse(event.startDate), {
      path: ['endDate'],
      message: 'endDate must be after startDate',
    }),
  );

export const eventSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  duration: z.number(),
  startDate: z.string(),
  endDate: z.string(),
  locationId: z.string(),
  hall: z.string(),
  /** The hall's capacity when the event was created. */
  capacity: z.number().check(z.int()),
  /** Seats booked so far, as learned from EventBooked messages (eventually consistent). */
  seatsBooked: z.number().check(z.int()),
});

export type NewEvent = z.infer<typeof newEventSchema>;
export type Event = z.infer<typeof eventSchema>;
