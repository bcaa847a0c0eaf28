import * as z from 'zod';

/** Body of `POST /players`. */
export const newPlayerSchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();

export const positionSchema = z.object({ x: z.number().int(), y: z.number().int() });

export const playerSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
});

/** Where new players appear on the game map (the book's start position). */
export const START_POSITION: Position = { x: 0, y: 0 };

export type NewPlayer = z.infer<typeof newPlayerSchema>;
export type Player = z.infer<typeof playerSchema>;
export type Position = z.infer<typeof positionSchema>;
/** A player on the game map. */
export interface PlacedPlayer extends Player {
  position: Position;
}
/** A player as the API shows it: `position` is null until the stream function has placed it. */
export interface PlayerView extends Player {
  position: Position | null;
}
