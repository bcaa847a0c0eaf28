import * as catalogue from '../../../functions/catalogue.js';
import { composeChangeStream } from '../compose.js';
import { gameMap } from '../ports.js';

/** `placePlayers`: the players collection's writes → the game map (Firestore document.v1.written). */
export const placePlayers = composeChangeStream(catalogue.placePlayers, { gameMap });
