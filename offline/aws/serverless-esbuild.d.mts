import type { ReloadableBuild } from '../shared/hot-reload.js';

export declare const SERVERLESS_ESBUILD_CHECKED_VERSION: string;
export declare function findEsbuildPlugin(serverless: unknown): object | undefined;
export declare function stopEsbuildWhenFirstBuildFails(plugin: object | undefined): void;
export declare function reloadableBuildOf(plugin: object): ReloadableBuild;
export declare function serverlessEsbuildProblems(): string[];
