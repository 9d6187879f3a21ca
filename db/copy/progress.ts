/**
 * A text progress bar per table on stderr: `  rollouts           [#######.............]  1234/4000`.
 * On a terminal the line redraws in place; otherwise (logs, CI) only the finished line is written.
 */
export interface CopyProgress {
  start(table: string, total: number): void;
  update(done: number): void;
  finish(): void;
}

const WIDTH = 30;

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): CopyProgress {
  let table = "";
  let total = 0;
  let done = 0;
  let lastDraw = 0;
  const line = () => {
    const frac = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(frac * WIDTH);
    const count = `${done}/${total}`;
    return `  ${table.padEnd(26)} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${count.padStart(19)}`;
  };
  return {
    start(name, n) {
      table = name;
      total = n;
      done = 0;
      lastDraw = 0;
      if (stream.isTTY) stream.write(line());
    },
    update(n) {
      done = n;
      const now = Date.now();
      if (stream.isTTY && now - lastDraw > 100) {
        lastDraw = now;
        stream.write("\r" + line());
      }
    },
    finish() {
      stream.write((stream.isTTY ? "\r" : "") + line() + "\n");
    },
  };
}

export const silentProgress: CopyProgress = { start() {}, update() {}, finish() {} };
