import * as z from 'zod/mini';
import './zod-locale.js';

/** Body of `POST /players`. */
export const newPlayerSchema = z.strictObject({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)) });

export const positionSchema = z.object({ x: z.number().check(z.int()), y: z.number().check(z.int()) });

export const playerSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  /** The `sub` of the caller who created it: only it (or an admin) may delete it. Never shown by the API. */
  owner: z.string().check(z.minLength(1)),
});

/** A player as the game map stores it (no owner). */
export const placedPlayerSchema = z.extend(z.omit(playerSchema, { owner: true }), { position: positionSchema });

/** A player as the API shows it: not its owner (an identity of the token issuer); `position` is null until the stream function has placed it. */
export const playerViewSchema = z.extend(z.omit(playerSchema, { owner: true }), { position: z.nullable(positionSchema) });

/** Where new players appear on the game map (the book's start position). */
export const START_POSITION: Position = { x: 0, y: 0 };

export type NewPlayer = z.infer<typeof newPlayerSchema>;
export type Player = z.infer<typeof playerSchema>;
export type Position = z.infer<typeof positionSchema>;
/** What the API and the map show of a player: not its owner, an identity of the token issuer. */
export type PublicPlayer = Omit<Player, 'owner'>;
/** A player on the game map. */
export interface PlacedPlayer extends PublicPlayer {
  position: Position;
}
export type PlayerView = z.infer<typeof playerViewSchema>;
