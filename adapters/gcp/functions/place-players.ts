import { cloudEvent } from '@google-cloud/functions-framework';
import { portsFromEnv } from '../environment.js';
import { gcpFirestoreFunctions } from '../registrations.js';

/** `placePlayers`: the players collection's writes → the game map (Firestore document.v1.written). */
export const placePlayers = gcpFirestoreFunctions.placePlayers(portsFromEnv());
cloudEvent('placePlayers', placePlayers);
