/**
 * The cache the simulator replays against, as Redis holds it: an entry set
 * with `SET key val PX T` lives until T after the SET (a later SET starts a new
 * T); a sliding TTL is also renewed by every hit (GETEX ... PX T); DEL removes
 * it. T = 0 means no cache: nothing is ever stored. T = Infinity: no expiry.
 * Per-key state lives in typed arrays indexed by key id (1..keys): no Map,
 * so a replay runs at memory speed.
 *
 * `get` returns the version of the row the entry holds, or -1 on a miss.
 */
export interface TtlCache {
  get(key: number, t: number): number;
  set(key: number, version: number, t: number): void;
  del(key: number): void;
  readonly evictions: number;
}

/** No capacity limit: presence is just `expiresAt > t`. */
export class UnboundedCache implements TtlCache {
  readonly evictions = 0;
  private readonly expiresAt: Float64Array;
  private readonly stored: Int32Array;

  constructor(
    keys: number,
    private readonly ttlMs: number,
    private readonly sliding: boolean,
  ) {
    this.expiresAt = new Float64Array(keys + 1).fill(Number.NEGATIVE_INFINITY);
    this.stored = new Int32Array(keys + 1);
  }

  get(key: number, t: number): number {
    if ((this.expiresAt[key] as number) <= t) return -1;
    if (this.sliding) this.expiresAt[key] = t + this.ttlMs;
    return this.stored[key] as number;
  }

  set(key: number, version: number, t: number): void {
    if (this.ttlMs === 0) return;
    this.expiresAt[key] = t + this.ttlMs;
    this.stored[key] = version;
  }

  del(key: number): void {
    this.expiresAt[key] = Number.NEGATIVE_INFINITY;
  }
}

/**
 * At most `capacity` live entries; storing a new one into a full cache evicts
 * the least recently used (a hit and a store are both a use). Expired entries
 * hold no capacity, as Redis's active expiry removes them: before evicting a
 * live entry, the expired ones are dropped. Every expiry is set to "now + T"
 * and events come in time order, so ordering entries by their last expiry
 * update orders them by expiry: a second list, whose head expires first. A
 * sliding TTL renews on every use, so there the LRU order is that order, and
 * without expiry nothing needs it. Lists are doubly linked through typed
 * arrays, node 0 the sentinel.
 */
export class LruCache implements TtlCache {
  evictions = 0;
  private count = 0;
  private readonly expiresAt: Float64Array;
  private readonly stored: Int32Array;
  private readonly resident: Uint8Array;
  private readonly lru: LinkedOrder;
  /** Entries by expiry (head first); the LRU list itself for a sliding TTL; none without expiry. */
  private readonly byExpiry: LinkedOrder | undefined;

  constructor(
    keys: number,
    private readonly capacity: number,
    private readonly ttlMs: number,
    private readonly sliding: boolean,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1 entry, got ${capacity}`);
    this.expiresAt = new Float64Array(keys + 1).fill(Number.NEGATIVE_INFINITY);
    this.stored = new Int32Array(keys + 1);
    this.resident = new Uint8Array(keys + 1);
    this.lru = new LinkedOrder(keys);
    if (Number.isFinite(ttlMs)) this.byExpiry = sliding ? this.lru : new LinkedOrder(keys);
  }

  get(key: number, t: number): number {
    if ((this.expiresAt[key] as number) <= t) return -1;
    this.lru.moveToBack(key);
    if (this.sliding) this.renew(key, t);
    return this.stored[key] as number;
  }

  set(key: number, version: number, t: number): void {
    if (this.ttlMs === 0) return;
    if (this.resident[key] === 0) this.admit(key, t);
    this.lru.moveToBack(key);
    this.renew(key, t);
    this.stored[key] = version;
  }

  del(key: number): void {
    if (this.resident[key] === 0) return;
    this.drop(key);
  }

  private renew(key: number, t: number): void {
    this.expiresAt[key] = t + this.ttlMs;
    if (this.byExpiry !== this.lru) this.byExpiry?.moveToBack(key);
  }

  /** Makes room for a new entry: expired entries first, then the least recently used. */
  private admit(key: number, t: number): void {
    const byExpiry = this.byExpiry;
    if (this.count >= this.capacity && byExpiry !== undefined) {
      let oldest = byExpiry.front();
      while (oldest !== 0 && (this.expiresAt[oldest] as number) <= t) {
        this.drop(oldest);
        oldest = byExpiry.front();
      }
    }
    if (this.count >= this.capacity) {
      this.drop(this.lru.front());
      this.evictions++;
    }
    this.resident[key] = 1;
    this.count++;
  }

  private drop(key: number): void {
    this.lru.remove(key);
    if (this.byExpiry !== this.lru) this.byExpiry?.remove(key);
    this.resident[key] = 0;
    this.expiresAt[key] = Number.NEGATIVE_INFINITY;
    this.count--;
  }
}

/** A doubly linked order of key ids, circular through the sentinel node 0. */
class LinkedOrder {
  private readonly prev: Int32Array;
  private readonly next: Int32Array;

  constructor(keys: number) {
    this.prev = new Int32Array(keys + 1).fill(-1);
    this.next = new Int32Array(keys + 1).fill(-1);
    this.prev[0] = 0;
    this.next[0] = 0;
  }

  /** The oldest id, or 0 when empty. */
  front(): number {
    return this.next[0] as number;
  }

  moveToBack(id: number): void {
    if (this.next[id] !== -1) this.remove(id);
    const last = this.prev[0] as number;
    this.next[last] = id;
    this.prev[id] = last;
    this.next[id] = 0;
    this.prev[0] = id;
  }

  remove(id: number): void {
    const before = this.prev[id] as number;
    const after = this.next[id] as number;
    if (after === -1) return;
    this.next[before] = after;
    this.prev[after] = before;
    this.prev[id] = -1;
    this.next[id] = -1;
  }
}
