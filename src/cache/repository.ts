/**
 * The seed's RedisRepository (SET/GET, HSET/HGET, TTL), typed, over a
 * node-redis client. Every key it touches is `prefix + key`, so a run's keys
 * stay in its own corner of a possibly shared server.
 */
import type { RedisClient } from '../redis/connection.ts';
import { serverVersion } from '../redis/connection.ts';

export class RedisRepository {
  constructor(
    private readonly client: RedisClient,
    readonly prefix: string,
  ) {}

  async set(key: string, value: string): Promise<void> {
    await this.client.set(this.prefix + key, value);
  }

  /** The seed's `insert_ex`: SET with EX, one command, so the key never exists without its expiry. */
  async setWithTtl(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.client.set(this.prefix + key, value, { expiration: { type: 'EX', value: ttlSeconds } });
  }

  get(key: string): Promise<string | null> {
    return this.client.get(this.prefix + key);
  }

  async hashSet(key: string, field: string, value: string): Promise<void> {
    await this.client.hSet(this.prefix + key, field, value);
  }

  /**
   * The seed's `insert_hash_ex`: HSET and EXPIRE in one MULTI, so the field is
   * never visible without the expiry. The TTL is on the whole key: per-field
   * expiry (HEXPIRE) needs Redis 7.4, see `supportsHashFieldTtl`.
   */
  async hashSetWithTtl(key: string, field: string, value: string, ttlSeconds: number): Promise<void> {
    const name = this.prefix + key;
    await this.client.multi().hSet(name, field, value).expire(name, ttlSeconds).exec();
  }

  hashGet(key: string, field: string): Promise<string | null> {
    return this.client.hGet(this.prefix + key, field);
  }

  /** The seed's conversion to a dict: a plain object, `{}` when the key is missing. */
  async hashGetAll(key: string): Promise<Record<string, string>> {
    const reply = await this.client.hGetAll(this.prefix + key);
    return Object.fromEntries(Object.entries(reply).map(([field, value]) => [field, String(value)]));
  }

  /** Seconds left, as Redis reports it: −2 when missing, −1 when the key has no expiry. */
  ttl(key: string): Promise<number> {
    return this.client.ttl(this.prefix + key);
  }

  /**
   * Whether the server has per-field hash expiry (HEXPIRE, Redis 7.4+). Asks
   * COMMAND INFO, which answers null for an unknown command; where COMMAND is
   * not allowed (some managed services), falls back to the reported version.
   */
  async supportsHashFieldTtl(): Promise<boolean> {
    try {
      const [info] = (await this.client.sendCommand(['COMMAND', 'INFO', 'HEXPIRE'])) as unknown[];
      return info !== null && info !== undefined;
    } catch {
      const [major = 0, minor = 0] = (await serverVersion(this.client)).version.split('.').map(Number);
      return major > 7 || (major === 7 && minor >= 4);
    }
  }
}
