import * as z from 'zod/mini';
import './zod-locale.js';

/** Body of `POST /players`. */
export const newPlayerSchema = z.strictObject({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)) });

export const positionSchema = z.object({ x: z.number().check(z.int()), y: z.number().check(z.int()) });

export const playerSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
});

/** A player on the game map, as the game-map repositories store it. */
export const placedPlayerSchema = z.extend(playerSchema, { position: positionSchema });

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
