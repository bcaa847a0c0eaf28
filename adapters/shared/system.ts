import { randomUUID } from 'node:crypto';
import type { Clock, IdSource } from '../../functions/ports.js';

/** The real clock and id source every platform uses. */
export const systemClock: Clock = { now: () => new Date() };
export const randomIds: IdSource = { newId: () => randomUUID() };
