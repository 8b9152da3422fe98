/** Where the progress monitor draws: lines that stay, and (on a TTY) bars that are redrawn in place below them. */
export interface View {
  /** A line that stays (without newline). */
  line(text: string): void;
  /** A live bar; `render` draws its whole line around the bar graphic it is given. */
  bar(total: number, render: (graphic: string) => string): BarHandle;
  /** Flush what is pending and take the bars off the screen. */
  stop(): void;
}

export interface BarHandle {
  update(value: number, total?: number): void;
  remove(): void;
}

/** Not a TTY: lines only, no escape codes, nothing redrawn. */
export function plainView(write: (text: string) => void): View {
  const none: BarHandle = { update: () => undefined, remove: () => undefined };
  return {
    line: (text) => write(`${text}\n`),
    bar: () => none,
    stop: () => undefined,
  };
}
