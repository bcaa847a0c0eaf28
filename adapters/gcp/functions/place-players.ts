import * as catalogue from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `placePlayers`: the players collection's writes → the game map (Firestore document.v1.written). */
export const placePlayers = registerFunction(catalogue.placePlayers);
