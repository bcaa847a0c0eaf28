import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firestoreEmulatorJar, googleCloudSdkRoot, MissingEmulatorError, pubSubEmulatorJar } from '../../offline/gcp/gcp-emulators.js';

const made: string[] = [];
const emptyFolder = (): string => {
  const folder = mkdtempSync(join(tmpdir(), 'no-gcloud-'));
  made.push(folder);
  return folder;
};

afterEach(() => {
  for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('Google Cloud emulator launcher', () => {
  it('fails with install instructions when gcloud is not on PATH', () => {
    // Prepare
    const env = { PATH: emptyFolder() };

    // Act
    const find = () => googleCloudSdkRoot(env);

    // Assess
    expect(find).toThrow(MissingEmulatorError);
    expect(find).toThrow(/gcloud components install cloud-firestore-emulator pubsub-emulator/);
    expect(find).toThrow(/google-cloud-cli-firestore-emulator google-cloud-cli-pubsub-emulator/);
  });

  it('fails naming the missing jar when the SDK lacks an emulator', () => {
    const sdkWithoutEmulators = emptyFolder();
    expect(() => firestoreEmulatorJar(sdkWithoutEmulators)).toThrow(/The Firestore emulator is not installed/);
    expect(() => pubSubEmulatorJar(sdkWithoutEmulators)).toThrow(/The Pub\/Sub emulator is not installed/);
  });

  it('finds the SDK of the gcloud on PATH, and both jars in it', () => {
    const root = googleCloudSdkRoot({ PATH: process.env['PATH'] ?? '' });
    expect(firestoreEmulatorJar(root)).toMatch(/cloud-firestore-emulator\.jar$/);
    expect(pubSubEmulatorJar(root)).toMatch(/cloud-pubsub-emulator-[\d.]+-all\.jar$/);
  });
});

describe('npm run start:gcp without the Google Cloud SDK', () => {
  it('stops at once with install instructions, before building anything', () => {
    // Prepare: a PATH with neither gcloud nor java, and no CLOUDSDK_ROOT.
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: emptyFolder() };
    delete env['CLOUDSDK_ROOT'];
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');

    // Act
    const result = spawnSync(process.execPath, [tsx, 'offline/gcp/start-gcp.ts'], { env, encoding: 'utf8', timeout: 60_000 });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The Google Cloud SDK (`gcloud`) is not on PATH.');
    expect(result.stderr).toContain('gcloud components install cloud-firestore-emulator pubsub-emulator');
    expect(result.stderr).not.toContain('building dist/gcp');
  }, 60_000);
});
