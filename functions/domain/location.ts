import * as z from 'zod/mini';
import './zod-locale.js';

const text = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const hourOfDay = z.number().check(z.int(), z.minimum(0), z.maximum(24));

export const hallSchema = z.object({
  name: text,
  /** Where the hall is inside the venue ("second floor"), as in the book. */
  location: text,
  capacity: z.number().check(z.int(), z.positive(), z.maximum(1_000_000)),
});

/** Body of `POST /locations`. */
export const newLocationSchema = z
  .strictObject({
    name: text,
    address: text,
    country: text,
    openTime: hourOfDay,
    closeTime: hourOfDay,
    halls: z.array(hallSchema).check(z.minLength(1), z.maxLength(100)),
  })
  .check(
    z.superRefine((location, ctx) => {
      const seen = new Set<string>();
      location.halls.forEach((hall, index) => {
        if (seen.has(hall.name)) {
          ctx.addIssue({ code: 'custom', path: ['halls', index, 'name'], message: `Duplicate hall name "${hall.name}"` });
        }
        seen.add(hall.name);
      });
    }),
  );

export const locationSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  address: z.string(),
  country: z.string(),
  openTime: z.number(),
  closeTime: z.number(),
  halls: z.array(hallSchema),
});

export type Hall = z.infer<typeof hallSchema>;
export type NewLocation = z.infer<typeof newLocationSchema>;
export type Location = z.infer<typeof locationSchema>;
