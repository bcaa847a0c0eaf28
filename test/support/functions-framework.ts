import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';

export interface ServedFunction {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/**
 * A function registered with functions-framework, served by the framework's own test server (the
 * same Express app and middleware as `functions-framework --target`), listening on loopback only.
 */
export async function serveFunction(name: string): Promise<ServedFunction> {
  const server = getTestServer(name);
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(0, '127.0.0.1', () => listening());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((closed, failed) => server.close((error) => (error ? failed(error) : closed()))),
  };
}
