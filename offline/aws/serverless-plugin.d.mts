/** The plugin as TypeScript tests see it; the plugin itself is plain JS, which osls loads directly. */
export default class OfflineStreamsPlugin {
  constructor(serverless: unknown, cliOptions: Record<string, unknown>, utils: { log: unknown });
  hooks: Record<string, () => unknown>;
}
