/**
 * The few commands a cache-aside service sends — GET/GETEX on the hot path;
 * SET, DEL, EXISTS and EVAL around it — on a single server or a cluster
 * alike, each bounded by a GuardedConnection (see guardedConnection.ts): a
 * command waits at most about the command timeout, then fails and its read
 * falls back to the source. A cluster routes each key to its master's own
 * connection (clusterStore.ts), because the ring of send times needs replies
 * in order, which only one connection gives.
 */
import { trackIo } from '../load/preciseTimer.ts';
import type { RedisClient } from './connection.ts';
import type { GuardedConnection } from './guardedConnection.ts';

export interface StoreSetOptions {
  /** Expire after this many ms (`PX`); no expiry when omitted. */
  pxMs?: number;
  /** Only if the key does not exist (`NX`), as a lock is taken. */
  nx?: boolean;
}

export interface CacheStore {
  readonly mode: 'standalone' | 'cluster';
  /**
   * The hot path: GET `key` (GETEX PX `refreshTtlMs` when it is a number),
   * then `onReply` with the value, or `onError` when Redis failed or did not
   * answer in time. One `.then`, so a hit resolves as soon as it can.
   */
  read<T>(
    key: string,
    refreshTtlMs: number | null,
    onReply: (raw: string | null) => T | PromiseLike<T>,
    onError: (error: unknown) => T | PromiseLike<T>,
  ): Promise<T>;
  get(key: string): Promise<string | null>;
  /** True when stored; false when NX found the key. */
  set(key: string, value: string, options?: StoreSetOptions): Promise<boolean>;
  del(key: string): Promise<number>;
  exists(key: string): Promise<number>;
  /** MGET of keys that share the first key's slot (a data key and its lock, see lockKeyFor). */
  mGet(keys: [string, ...string[]]): Promise<(string | null)[]>;
  /** A script whose keys all share the first key's slot (a cluster runs it on that slot's master). */
  evalScript(script: string, keys: [string, ...string[]], args: string[]): Promise<unknown>;
  /** A bare GET on the connection the hot path would use, with no bookkeeping: the read path's floor. */
  rawGet(key: string): Promise<string | null>;
  /** Stalls detected and connections replaced, over all the store's connections. */
  readonly stalls: number;
  close(): void;
}

type Command<T> = (client: RedisClient) => Promise<T>;

/**
 * The commands over guarded connections chosen per key. `connFor` picks the
 * connection (null: none is open for that key yet) and `failed` may still
 * answer a command that failed on it (a cluster follows a redirect).
 */
export abstract class GuardedStore implements CacheStore {
  abstract readonly mode: CacheStore['mode'];
  abstract readonly stalls: number;
  protected abstract connFor(key: string): GuardedConnection | null;
  protected abstract failed<T>(key: string, command: Command<T>, error: unknown): Promise<T>;
  abstract close(): void;

  read<T>(
    key: string,
    refreshTtlMs: number | null,
    onReply: (raw: string | null) => T | PromiseLike<T>,
    onError: (error: unknown) => T | PromiseLike<T>,
  ): Promise<T> {
    const conn = this.connFor(key);
    if (conn === null) return this.recover(key, readCommand(key, refreshTtlMs), null).then(onReply, onError);
    conn.sending();
    const client = conn.client;
    const reply = refreshTtlMs === null ? client.get(key) : client.getEx(key, { type: 'PX', value: refreshTtlMs });
    return reply.then(
      (raw) => {
        conn.answered();
        return onReply(raw);
      },
      (error: unknown) => {
        conn.answered();
        return this.recover(key, readCommand(key, refreshTtlMs), error).then(onReply, onError);
      },
    );
  }

  get(key: string): Promise<string | null> {
    return this.run(key, readCommand(key, null));
  }

  async set(key: string, value: string, options: StoreSetOptions = {}): Promise<boolean> {
    const reply = await this.run(key, (client) =>
      client.set(key, value, {
        ...(options.pxMs === undefined ? {} : { expiration: { type: 'PX' as const, value: options.pxMs } }),
        ...(options.nx ? { condition: 'NX' as const } : {}),
      }),
    );
    return reply === 'OK';
  }

  del(key: string): Promise<number> {
    return this.run(key, (client) => client.del(key));
  }

  exists(key: string): Promise<number> {
    return this.run(key, (client) => client.exists(key));
  }

  mGet(keys: [string, ...string[]]): Promise<(string | null)[]> {
    return this.run(keys[0], (client) => client.mGet(keys));
  }

  evalScript(script: string, keys: [string, ...string[]], args: string[]): Promise<unknown> {
    return this.run(keys[0], (client) => client.eval(script, { keys, arguments: args }));
  }

  rawGet(key: string): Promise<string | null> {
    const conn = this.connFor(key);
    return conn === null ? this.recover(key, readCommand(key, null), null) : trackIo(conn.client.get(key));
  }

  /** `failed`, counted as in flight: a cluster's redirect is a command on the wire too. */
  private recover<T>(key: string, command: Command<T>, error: unknown): Promise<T> {
    return trackIo(this.failed(key, command, error));
  }

  private run<T>(key: string, command: Command<T>): Promise<T> {
    const conn = this.connFor(key);
    if (conn === null) return this.recover(key, command, null);
    conn.sending();
    return command(conn.client).then(
      (value) => {
        conn.answered();
        return value;
      },
      (error: unknown) => {
        conn.answered();
        return this.recover(key, command, error);
      },
    );
  }
}

/** GET, or GETEX PX when the TTL is refreshed on every hit. */
function readCommand(key: string, refreshTtlMs: number | null): Command<string | null> {
  return refreshTtlMs === null
    ? (client) => client.get(key)
    : (client) => client.getEx(key, { type: 'PX', value: refreshTtlMs });
}

/** A single server: every key on the one guarded connection; a failure is final. */
export class SingleServerStore extends GuardedStore {
  readonly mode = 'standalone' as const;

  constructor(private readonly conn: GuardedConnection) {
    super();
  }

  get stalls(): number {
    return this.conn.stalls;
  }

  protected connFor(): GuardedConnection {
    return this.conn;
  }

  protected failed<T>(_key: string, _command: Command<T>, error: unknown): Promise<T> {
    return Promise.reject(error);
  }

  close(): void {
    this.conn.close();
  }
}
