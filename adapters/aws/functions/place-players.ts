import { placePlayers } from '../../../functions/catalogue.js';
import { composeChangeStream } from '../compose.js';
import { gameMap } from '../ports.js';

/** `placePlayers`: the players table's stream → the game map. */
export const handler = composeChangeStream(placePlayers, { gameMap });
