import * as z from 'zod';

/** Body of `POST /players`. */
export const newPlayerSchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();

export const positionSchema = z.object({ x: z.number().int(), y: z.number().int() });

export const playerSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  /** The `sub` of the caller who created it: only it (or an admin) may delete it. Never shown by the API. */
  owner: z.string().min(1),
});

/** A player as the game map stores it (no owner). */
export const placedPlayerSchema = playerSchema.omit({ owner: true }).extend({ position: positionSchema });

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
/** A player as the API shows it: `position` is null until the stream function has placed it. */
export interface PlayerView extends PublicPlayer {
  position: Position | null;
}
