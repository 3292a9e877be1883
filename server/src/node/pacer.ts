/**
 * Runs work soon after it is asked for, but at most once per interval: the first request after a quiet
 * spell runs after `delay`; requests while the interval since the last run lasts are gathered into one
 * run at its end. The panel hears of the first keystroke at once, and of a burst of typing at a steady pace.
 */
export class Pacer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRun = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly delay: number,
    private readonly interval: number,
    private readonly run: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  request(): void {
    if (this.timer) return;
    const wait = Math.max(this.delay, this.lastRun + this.interval - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastRun = this.now();
      this.run();
    }, wait);
  }
}
