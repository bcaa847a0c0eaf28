import type { CfnResources } from './provision.js';

/** The parts of the Serverless Framework's plugin API (its documented `serverless` object) our plugin reads. */
export interface ServerlessLike {
  service: {
    service: string;
    provider: { region?: string; stage?: string };
    custom?: Record<string, unknown>;
    resources?: { Resources?: CfnResources };
    getAllFunctions(): string[];
    getFunction(key: string): { handler?: string; name?: string; events?: Record<string, unknown>[] };
  };
}

/** The Serverless Framework's plugin logger (`{ log }` of a plugin's constructor). */
export interface PluginLog {
  notice(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}
