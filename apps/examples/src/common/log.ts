/** A line of progress on stdout, prefixed with the example's name. */
export type Logger = (line: string) => void;

export function consoleLogger(name: string): Logger {
  return (line) => console.log(`[${name}] ${line}`);
}

/** For tests and library use: keeps the lines instead of printing them. */
export function silentLogger(lines: string[] = []): Logger {
  return (line) => {
    lines.push(line);
  };
}
