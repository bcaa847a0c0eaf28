import azf from '@azure/functions';
import { vi } from 'vitest';

export type TriggerKind = 'http' | 'storageQueue' | 'cosmosDB';

export interface Registration {
  kind: TriggerKind;
  name: string;
  options: Record<string, unknown> & { handler: (...args: never[]) => unknown };
}

/**
 * Loads entry modules and records what they register on `app` (outside the host, `app.*` only warns
 * and registers nothing, and nothing lists registrations): `app.http`, `app.storageQueue` and
 * `app.cosmosDB` are wrapped in this process before the modules are imported, then restored.
 * Modules are imported fresh, so a module loaded by another test registers again.
 */
export async function recordRegistrations(modules: string[]): Promise<Registration[]> {
  const recorded: Registration[] = [];
  const kinds: TriggerKind[] = ['http', 'storageQueue', 'cosmosDB'];
  const spies = kinds.map((kind) =>
    vi.spyOn(azf.app, kind).mockImplementation(((name: string, options: Registration['options']) => {
      recorded.push({ kind, name, options });
    }) as never),
  );
  try {
    vi.resetModules();
    for (const module of modules) await import(module);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return recorded;
}
