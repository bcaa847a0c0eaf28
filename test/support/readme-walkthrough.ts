import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * The README's walkthrough ("Try it"), as a person pastes it into bash: its commands, read from README.md
 * (so the test runs what the README says), and a bash session that runs them one at a time and hands
 * back each one's output, with the variables (API, EVENT, PLAYER…) kept between commands.
 */
export interface WalkthroughStep {
  /** The command as pasted (continuation lines joined). */
  command: string;
  /** Its `# …` comment: what the README promises it shows; undefined when it has none. */
  promise?: string;
}

/** The bash block that sets `API=localhost:3000`, command by command. */
export function walkthroughSteps(readme = readFileSync('README.md', 'utf8')): WalkthroughStep[] {
  const block = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!).find((text) => /^API=localhost:3000;/m.test(text));
  if (block === undefined) throw new Error('README.md has no bash block starting with API=localhost:3000');
  return block
    .replace(/\\\n/g, '\n') // continuation lines: one command
    .split(/\n(?!\s)/)
    .map((line) => line.replace(/\n/g, ' ').trim())
    .filter((line) => line !== '')
    .map((line) => {
      // The comment starts at ` # ` outside quotes: the commands' JSON and headers hold no ` # `.
      const at = line.search(/\s#\s/);
      return at === -1 ? { command: line } : { command: line.slice(0, at).trim(), promise: line.slice(at).replace(/^\s#\s/, '').trim() };
    });
}

/** One bash process; `run` sends one command and resolves with its standard output and exit status. */
export class BashSession {
  private readonly shell: ChildProcessWithoutNullStreams;
  private output = '';
  private errors = '';
  private waiting: (() => void) | undefined;

  constructor(cwd: string) {
    this.shell = spawn('bash', ['--noprofile', '--norc'], { cwd, stdio: 'pipe' });
    this.shell.stdout.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      this.waiting?.();
    });
    this.shell.stderr.on('data', (chunk: Buffer) => void (this.errors += chunk.toString()));
  }

  async run(command: string, timeoutMs = 60_000): Promise<{ output: string; status: number; errors: string }> {
    this.output = '';
    this.errors = '';
    this.shell.stdin.write(`${command}\nprintf '\\n@@@%s@@@\\n' "$?"\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = /\n@@@(\d+)@@@\n/.exec(this.output);
      if (end) return { output: this.output.slice(0, end.index), status: Number(end[1]), errors: this.errors };
      if (Date.now() > deadline) throw new Error(`\`${command.slice(0, 200)}\` did not finish within ${timeoutMs} ms:\n${this.output}\n${this.errors}`);
      await new Promise<void>((more) => {
        this.waiting = more;
        setTimeout(more, 200);
      });
    }
  }

  /** A variable's value in the session. */
  async get(name: string): Promise<string> {
    return (await this.run(`printf '%s' "$${name}"`)).output;
  }

  close(): void {
    this.shell.stdin.end();
    this.shell.kill();
  }
}

/** `curl -si` output: status, headers (names lower-cased) and body. */
export function parseCurlInclude(output: string): { status: number; headers: Record<string, string>; body: string } {
  const at = output.indexOf('\r\n\r\n');
  const head = output.slice(0, at === -1 ? output.length : at).split('\r\n');
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
  const headers = Object.fromEntries(head.slice(1).map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status, headers, body: at === -1 ? '' : output.slice(at + 4) };
}
