import { watch, type FSWatcher } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { formatMessages, type BuildContext, type Message, type Metafile } from 'esbuild';

/**
 * Hot reload for `sls offline start` that survives mistakes. serverless-esbuild's own watcher rebuilt
 * every bundle on any file under the project, but serverless-offline runs our functions in its process
 * (useInProcess) and node's require cache kept the first bundle forever; and a syntax error left the
 * bundle missing, so each request answered with a "Cannot find module …ts" stack trace. Here: watch the
 * sources, rebuild serverless-esbuild's own esbuild contexts (incremental, so a rebuild is fast), drop
 * the rebuilt bundles from the require cache, print a compiler error once, and report which functions
 * are broken so that their HTTP routes answer 500 (the edge proxy) and their triggers wait.
 * start:gcp uses it alike over its own contexts, restarting the rebuilt functions' processes.
 *
 * How: node's recursive fs.watch on functions/ and adapters/; edits within 30 ms make one rebuild;
 * only the bundles whose esbuild metafile lists a changed file are rebuilt (plus the failed ones);
 * one rebuild at a time, another queued if files change meanwhile. Every build is reported (`report`)
 * twice: `building: true` when it starts (npm start's edge holds requests), then the outcome.
 * Relies on: esbuild's incremental BuildContext and metafile, node's require cache (serverless-offline
 * requires each bundle in process), and a ReloadableBuild from the stack (offline/aws/serverless-esbuild.mjs
 * for npm start, function-processes.ts's contexts for start:gcp); nothing of serverless-esbuild itself.
 */

/**
 * The builds hot reload redoes: esbuild contexts (incremental) by the source entry each is built from,
 * and the functions each entry serves. npm start hands serverless-esbuild's own contexts
 * (offline/aws/serverless-esbuild.mjs, the one file that reads that plugin's internals); start:gcp its own.
 */
export interface ReloadableBuild {
  /** Every bundle now, by its source entry (a path relative to the project, as esbuild's metafile names inputs). */
  bundles(): [entry: string, bundle: ReloadableBundle][];
  /** The function (or functions) each entry is built for. */
  functions(): { entry: string; functionName: string }[];
}

export interface ReloadableBundle {
  context?: BuildContext;
  /** The first build's metafile: which sources the bundle is built from. */
  metafile?: Metafile;
  /** The built file, when this process `require`s it (serverless-offline runs functions in process): dropped from node's require cache after a rebuild. */
  requiredFile?: string;
}

/** Where hot reload prints (the Serverless Framework's plugin logger, or start:gcp's console). */
export interface ReloadLog {
  notice(message: string): void;
  error(message: string): void;
}

/** What `npm start` is told after every build (over the IPC channel): the broken functions and why. */
export interface BuildReport {
  kind: 'myevents:build';
  /** True when a rebuild has started: requests wait for the report that follows. */
  building: boolean;
  broken: string[];
  /** The function of the `httpApi: '*'` route, which serves every path no other function declares. */
  catchAll?: string;
  /** The first compiler error, `file:line:column: text`; empty when nothing is broken. */
  message: string;
}

export const isBuildReport = (value: unknown): value is BuildReport =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'myevents:build' && Array.isArray((value as { broken?: unknown }).broken);

export interface HotReload {
  isBroken(functionKey: string): boolean;
  stop(): void;
}

/** The folders the bundles are built from; tests, benches and data never are. */
const SOURCE_FOLDERS = ['functions', 'adapters'];
const moduleCache = createRequire(import.meta.url).cache;

const errorsOf = (failure: unknown): Message[] =>
  typeof failure === 'object' && failure !== null && Array.isArray((failure as { errors?: unknown }).errors) ? (failure as { errors: Message[] }).errors : [];

const located = (message: Message): string =>
  message.location ? `${message.location.file}:${message.location.line}:${message.location.column}: ${message.text}` : message.text;

export function startHotReload(options: {
  serviceDir: string;
  build: ReloadableBuild;
  log: ReloadLog;
  catchAll?: string;
  report(report: BuildReport): void;
  /** What a broken function does until it builds (`npm start`'s by default). */
  brokenMeans?: string;
}): HotReload {
  const { build, log } = options;
  let broken = new Set<string>();
  const failedEntries = new Set<string>();
  const inputsOf = new Map<string, Metafile['inputs']>();
  let changed = new Set<string>();
  let lastPrinted = '';
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const rebuild = async (changed: Set<string>): Promise<void> => {
    const started = performance.now();
    // Only the bundles built from a changed file (esbuild's metafile), the failed ones, and any of unknown inputs.
    const built = build.bundles().filter(([entry, bundle]) => {
      const inputs = inputsOf.get(entry) ?? bundle.metafile?.inputs;
      return failedEntries.has(entry) || !inputs || [...changed].some((file) => file in inputs);
    });
    if (built.length === 0) return;
    options.report({ kind: 'myevents:build', building: true, broken: [...broken], message: '' });
    const results = await Promise.allSettled(built.map(([, bundle]) => (bundle.context ? bundle.context.rebuild() : Promise.reject(new Error('no esbuild context')))));
    const errors = new Map<string, Message>();
    results.forEach((result, index) => {
      const [entry, bundle] = built[index]!;
      if (result.status === 'fulfilled') {
        failedEntries.delete(entry);
        if (result.value.metafile) inputsOf.set(entry, result.value.metafile.inputs);
        // The next invocation requires the new bundle instead of the cached first one.
        if (bundle.requiredFile) delete moduleCache[bundle.requiredFile];
        return;
      }
      failedEntries.add(entry);
      for (const error of errorsOf(result.reason)) errors.set(located(error), error);
      if (errorsOf(result.reason).length === 0) errors.set(String(result.reason), { text: String(result.reason) } as Message);
    });
    broken = new Set(build.functions().filter(({ entry }) => failedEntries.has(entry)).map(({ functionName }) => functionName));
    const ms = Math.round(performance.now() - started);
    const [first = ''] = errors.keys();
    options.report({ kind: 'myevents:build', building: false, broken: [...broken], message: first, ...(options.catchAll ? { catchAll: options.catchAll } : {}) });
    if (broken.size === 0) {
      lastPrinted = '';
      log.notice(`reload: ${built.length === 1 ? '1 bundle' : `${built.length} bundles`} rebuilt in ${ms} ms`);
      return;
    }
    // Every bundle that imports the broken file fails alike: the compiler's message is printed once.
    const text = (await formatMessages([...errors.values()], { kind: 'error', color: false })).join('').trimEnd();
    if (text === lastPrinted) return;
    lastPrinted = text;
    const means = options.brokenMeans ?? 'answer HTTP with 500 and leave their stream or queue waiting';
    log.error(`reload: build failed in ${ms} ms; until it builds, ${[...broken].join(', ')} ${means}:\n${text}`);
  };

  const schedule = (file: string): void => {
    if (!/\.(ts|js|json)$/.test(file)) return;
    changed.add(file);
    clearTimeout(timer);
    // An editor's save is several events; one rebuild for them.
    timer = setTimeout(() => {
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        do {
          again = false;
          const files = changed;
          changed = new Set();
          await rebuild(files).catch((error: unknown) => log.error(`reload: ${error instanceof Error ? error.message : String(error)}`));
        } while (again);
        running = undefined;
      })();
    }, 30);
  };

  // node 20's recursive fs.watch (inotify on Linux) on the two source folders: no extra dependency, and
  // unlike chokidar's default pattern it never walks node_modules or the data folder.
  // Paths relative to the project, as esbuild's metafile names its inputs.
  const watchers: FSWatcher[] = SOURCE_FOLDERS.map((folder) =>
    watch(join(options.serviceDir, folder), { recursive: true }, (_event, file) => file && schedule(`${folder}/${file.split(sep).join('/')}`)),
  );
  return {
    isBroken: (functionKey) => broken.has(functionKey),
    stop: () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
