import { readFile } from 'node:fs/promises';
import type { NodeLayout } from './layout.js';

async function tailOf(file: string, lines: number): Promise<string | null> {
  try {
    const text = (await readFile(file, 'utf8')).trimEnd();
    return text.length === 0 ? null : text.split('\n').slice(-lines).join('\n');
  } catch {
    return null;
  }
}

/**
 * The last lines of a node's system.log and JVM output, which together hold
 * the reason a start failed (bad flag, port clash, OOM, yaml error).
 */
export async function nodeLogTail(node: NodeLayout, lines = 40): Promise<string> {
  const parts: string[] = [];
  const system = await tailOf(node.systemLog, lines);
  if (system !== null) parts.push(`[${node.systemLog}]\n${system}`);
  const output = await tailOf(node.outputFile, Math.ceil(lines / 2));
  if (output !== null) parts.push(`[${node.outputFile}]\n${output}`);
  return parts.length > 0 ? parts.join('\n') : `(no log output yet in ${node.dir})`;
}
