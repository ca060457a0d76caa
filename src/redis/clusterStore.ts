/**
 * The cache store on a Redis Cluster: one guarded connection of our own per
 * master, each key sent to its slot's master by the cluster client's slot
 * map. Why not the cluster client's own commands: node-redis bounds a command
 * only until it is written (commands-queue.js drops the timeout once the
 * command is on the wire), so a stalled node would hold every read of its
 * slots; and replies from several nodes come back in no common order, while
 * a GuardedConnection's ring of send times needs one connection's in-order
 * replies. A connection per master gives both, at the single-server cost plus
 * one CRC16 per key.
 *
 * A command that meets MOVED or ASK (a slot migrating or moved) is answered
 * through the cluster client, which follows the redirect and refreshes its
 * slot map; the map here is then rebuilt from it. Those are counted in
 * `redirects`, not as errors. A master that dies fails its own slots' commands
 * at once (its socket closes; no offline queue) while the others carry on.
 */
import type { RedisUrlTarget } from '../config/redisTarget.ts';
import { type CacheStore, GuardedStore } from './cacheStore.ts';
import { nodeTarget, type RedisClusterClient } from './clusterConnection.ts';
import {
  type ConnectOptions,
  connectRedis,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type RedisClient,
  withDeadline,
} from './connection.ts';
import { GuardedConnection } from './guardedConnection.ts';
import { keySlot, SLOTS } from './keySlot.ts';

type Command<T> = (client: RedisClient) => Promise<T>;

export class ClusterStore extends GuardedStore implements CacheStore {
  readonly mode = 'cluster' as const;
  /** Commands that met MOVED or ASK and were answered through the cluster client. */
  redirects = 0;
  private readonly bySlot: (GuardedConnection | null)[] = new Array(SLOTS).fill(null);
  private readonly byAddress = new Map<string, GuardedConnection>();
  private readonly timeoutMs: number;
  private stallsOfClosed = 0;
  private refreshing: Promise<void> | undefined;
  private again = false;
  private closed = false;

  private constructor(
    private readonly cluster: RedisClusterClient,
    private readonly seed: RedisUrlTarget,
    private readonly options: ConnectOptions,
  ) {
    super();
    this.timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  /** Opens a connection to every master of a connected cluster client; `seed` gives credentials and TLS. */
  static async open(
    cluster: RedisClusterClient,
    seed: RedisUrlTarget,
    options: ConnectOptions = {},
  ): Promise<ClusterStore> {
    const store = new ClusterStore(cluster, seed, options);
    try {
      await store.rebuild(true);
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  get stalls(): number {
    let stalls = this.stallsOfClosed;
    for (const conn of this.byAddress.values()) stalls += conn.stalls;
    return stalls;
  }

  /** The masters this store has a connection to, as `host:port`. */
  get addresses(): string[] {
    return [...this.byAddress.keys()];
  }

  protected connFor(key: string): GuardedConnection | null {
    return this.bySlot[keySlot(key)] as GuardedConnection | null;
  }

  /**
   * A redirect, or a slot with no connection yet: the cluster client answers
   * (bounded here, since it is not once the command is written). Anything
   * else is the command's failure.
   */
  protected failed<T>(_key: string, command: Command<T>, error: unknown): Promise<T> {
    const moved = error instanceof Error && error.message.startsWith('MOVED ');
    if (error !== null && !moved && !(error instanceof Error && error.message.startsWith('ASK '))) {
      return Promise.reject(error);
    }
    if (error !== null) this.redirects++;
    const answer = withDeadline(
      command(this.cluster as unknown as RedisClient),
      this.timeoutMs,
      `Redis did not reply within ${this.timeoutMs} ms`,
    );
    // After a MOVED the cluster client has rediscovered the slots by the time it answers.
    if (error === null || moved) void answer.finally(() => this.refresh()).catch(() => {});
    return answer;
  }

  close(): void {
    this.closed = true;
    for (const conn of this.byAddress.values()) conn.close();
    this.byAddress.clear();
    this.bySlot.fill(null);
  }

  /** Rebuilds the slot map from the cluster client's, once at a time (a request meanwhile runs once more after). */
  private refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.rebuild();
      } while (this.again && !this.closed);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /**
   * Connects to masters it has no connection to, then maps every slot to its
   * master's connection. At open every master must answer; later a master
   * that does not stays unmapped (its slots go through the cluster client)
   * until the next rebuild.
   */
  private async rebuild(strict = false): Promise<void> {
    const masters = new Set(this.cluster.masters.map((master) => master.address));
    const missing = [...masters].filter((address) => !this.byAddress.has(address));
    const opened = await Promise.allSettled(missing.map((address) => this.openConnection(address)));
    missing.forEach((address, i) => {
      const result = opened[i] as PromiseSettledResult<GuardedConnection>;
      if (result.status === 'fulfilled') this.byAddress.set(address, result.value);
      else if (!strict) this.options.onError?.(result.reason as Error);
    });
    if (this.closed) return this.close();
    const refused = opened.find((result) => result.status === 'rejected');
    if (strict && refused) throw refused.reason;
    const slots = this.cluster.slots;
    for (let slot = 0; slot < SLOTS; slot++) {
      const owner = slots[slot]?.master.address;
      this.bySlot[slot] = owner === undefined ? null : (this.byAddress.get(owner) ?? null);
    }
    for (const [address, conn] of this.byAddress) {
      if (masters.has(address)) continue;
      this.stallsOfClosed += conn.stalls;
      conn.close();
      this.byAddress.delete(address);
    }
  }

  private async openConnection(address: string): Promise<GuardedConnection> {
    const client = await connectRedis(nodeTarget(this.seed, address), this.options);
    return new GuardedConnection(client, this.timeoutMs, this.options.onError);
  }
}
