/**
 * A readers–writer gate for the core's calls. Most operations (listing, searching, importing) may run side by
 * side: SQLite statements are synchronous and each import commits whole documents. Operations that replace the
 * vault's state (unlock, lock, restore, backup, passphrase change) are exclusive: they wait for everything in
 * flight and hold others back until they finish. FIFO, so an exclusive call is not starved by a stream of reads.
 */
export class Gate {
  #running = 0;
  #exclusive = false;
  readonly #waiting: { exclusive: boolean; start: () => void }[] = [];

  async run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    await this.#acquire(exclusive);
    try {
      return await work();
    } finally {
      this.#release(exclusive);
    }
  }

  #acquire(exclusive: boolean): Promise<void> {
    if (this.#waiting.length === 0 && this.#canStart(exclusive)) {
      this.#take(exclusive);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push({ exclusive, start: resolve }));
  }

  #canStart(exclusive: boolean): boolean {
    return exclusive ? this.#running === 0 && !this.#exclusive : !this.#exclusive;
  }

  #take(exclusive: boolean): void {
    if (exclusive) this.#exclusive = true;
    else this.#running += 1;
  }

  #release(exclusive: boolean): void {
    if (exclusive) this.#exclusive = false;
    else this.#running -= 1;
    while (this.#waiting.length > 0 && this.#canStart(this.#waiting[0]!.exclusive)) {
      const next = this.#waiting.shift()!;
      this.#take(next.exclusive);
      next.start();
    }
  }
}
