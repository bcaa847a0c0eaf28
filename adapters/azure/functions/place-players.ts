import { placePlayers } from '../../../functions/catalogue.js';
import { composeChangeStream } from '../compose.js';
import { gameMap } from '../ports.js';

/** `placePlayers`: the players container's change feed (soft deletes included) → the game map. */
composeChangeStream(placePlayers, { gameMap });
