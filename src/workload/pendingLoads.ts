/**
 * The loads in flight in the simulator, uncoordinated ('none'): every miss
 * issues its own load. A load issued at t reads the row at t + Δ − δ and
 * stores it at t + Δ. Δ and δ are the same for every load, so both events
 * come in issue order and one FIFO ring holds them, with two cursors: the next
 * source read and the next store. Typed arrays, grown by doubling.
 */
export class PendingLoads {
  private key = new Int32Array(1024);
  private issuedAt = new Float64Array(1024);
  private version = new Int32Array(1024);
  private mask = 1023;
  /** Next load to store; next load to read its row; one past the newest load. Monotone counters. */
  private storeHead = 0;
  private readHead = 0;
  private tail = 0;
  /** When the next source read or store is due; Infinity with nothing in flight. */
  nextDueAt = Number.POSITIVE_INFINITY;

  constructor(
    /** Δ: issue to store. */
    private readonly loadMs: number,
    /** Δ − δ: issue to source read. */
    private readonly readLeadMs: number,
  ) {}

  issue(key: number, t: number): void {
    if (this.tail - this.storeHead > this.mask) this.grow();
    const slot = this.tail++ & this.mask;
    this.key[slot] = key;
    this.issuedAt[slot] = t;
    if (this.nextDueAt === Number.POSITIVE_INFINITY) this.nextDueAt = t + this.readLeadMs;
  }

  /** Records the row version seen by every source read due at or before t. */
  readRows(t: number, versions: Int32Array): void {
    while (this.readHead < this.tail) {
      const slot = this.readHead & this.mask;
      if ((this.issuedAt[slot] as number) + this.readLeadMs > t) return;
      this.version[slot] = versions[this.key[slot] as number] as number;
      this.readHead++;
    }
  }

  /** True when the oldest load stores at or before t (call `readRows(t)` first). */
  storeDue(t: number): boolean {
    return this.storeHead < this.readHead && (this.issuedAt[this.storeHead & this.mask] as number) + this.loadMs <= t;
  }

  /** The oldest load's key, version and store time; then drops it. */
  nextKey(): number {
    return this.key[this.storeHead & this.mask] as number;
  }
  nextVersion(): number {
    return this.version[this.storeHead & this.mask] as number;
  }
  nextStoreAt(): number {
    return (this.issuedAt[this.storeHead & this.mask] as number) + this.loadMs;
  }
  pop(): void {
    this.storeHead++;
  }

  /** After reads and stores up to some t: when the next one is due. */
  updateNextDue(): void {
    const nextStore =
      this.storeHead < this.tail
        ? (this.issuedAt[this.storeHead & this.mask] as number) + this.loadMs
        : Number.POSITIVE_INFINITY;
    const nextRead =
      this.readHead < this.tail
        ? (this.issuedAt[this.readHead & this.mask] as number) + this.readLeadMs
        : Number.POSITIVE_INFINITY;
    this.nextDueAt = Math.min(nextStore, nextRead);
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const key = new Int32Array(size);
    const issuedAt = new Float64Array(size);
    const version = new Int32Array(size);
    for (let i = this.storeHead; i < this.tail; i++) {
      const from = i & this.mask;
      const to = i & (size - 1);
      key[to] = this.key[from] as number;
      issuedAt[to] = this.issuedAt[from] as number;
      version[to] = this.version[from] as number;
    }
    this.key = key;
    this.issuedAt = issuedAt;
    this.version = version;
    this.mask = size - 1;
  }
}
