import { placePlayers } from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `placePlayers`: the players container's change feed (soft deletes included) → the game map. */
registerFunction(placePlayers);
