/**
 * DALI 2.1's CPU pipeline (bench/dali_cpu.py --serve) as a child process the
 * bench runs a round of at a time, between its own rounds: DALI's figures
 * then come from the same minutes of the same shared machine as ours.
 * While it waits for a request it blocks on stdin and uses no CPU.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';

/** One round as DALI measured it in its own process (every thread's CPU). */
export interface DaliRound {
  readonly images: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

export class DaliProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  readonly #readline: Interface;

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    this.#readline = createInterface({ input: child.stdout });
    this.#lines = this.#readline[Symbol.asyncIterator]();
  }

  /**
   * Starts `python script jpegDir --serve --threads N` and waits until the
   * pipeline is built and warm; throws with Python's stderr when it is not.
   */
  static async start(
    python: string,
    script: string,
    jpegDir: string,
    threads: number,
  ): Promise<DaliProcess> {
    const child = spawn(python, [script, jpegDir, '--serve', '--threads', String(threads)]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const dali = new DaliProcess(child);
    const first = await dali.#lines.next();
    if (first.done || first.value.trim() !== 'ready') {
      child.kill();
      throw new Error(`${python} ${script} did not start: ${stderr.trim() || first.value}`);
    }
    return dali;
  }

  /** Runs `batches` batches and returns DALI's own measure of them. */
  async round(batches: number): Promise<DaliRound> {
    this.#child.stdin.write(`run ${batches}\n`);
    const line = await this.#lines.next();
    if (line.done) throw new Error('the DALI process ended');
    return JSON.parse(line.value) as DaliRound;
  }

  close(): void {
    this.#child.stdin.end();
    this.#readline.close();
  }
}
