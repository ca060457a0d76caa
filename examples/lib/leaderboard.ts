/**
 * A leaderboard twice over: a Redis sorted set (member = player id, score =
 * points) and the SQL table it stands in front of. The same seeded scores go
 * into both, every game updates both, so their top 10 and ranks must agree.
 * The table lives in an in-memory SQLite database of its own: nothing is left
 * on disk, and the bench's source (`src/source/sqliteSource.ts`) is not involved.
 */
import Database from 'better-sqlite3';
import type { RedisClient } from '../../src/redis/connection.ts';
import type { Rng } from '../../src/workload/rng.ts';

/** Scores up to a billion: among a million players the top ranks then never tie, so the two orders are one order. */
const SCORE_RANGE = 1_000_000_000;
/** Rows per SQLite transaction; between batches the event loop (and Ctrl-C) gets a turn. */
const ROWS_PER_TRANSACTION = 20_000;
/** Members per ZADD: one command stays well under a few ms of server time. */
const MEMBERS_PER_ZADD = 5000;

export interface Ranked {
  player: number;
  score: number;
}

/** Seeded starting scores for players 1..count (index 0 is player 1). */
export function startingScores(count: number, rng: Rng): Uint32Array {
  const scores = new Uint32Array(count);
  for (let i = 0; i < count; i++) scores[i] = Math.floor(rng.next() * SCORE_RANGE);
  return scores;
}

export class PlayersTable {
  private readonly db = new Database(':memory:');
  private readonly update: Database.Statement<[number, number]>;

  constructor() {
    this.db.exec('CREATE TABLE players (id INTEGER PRIMARY KEY, score INTEGER NOT NULL)');
    this.update = this.db.prepare('UPDATE players SET score = score + ? WHERE id = ?');
  }

  async fill(scores: Uint32Array, signal?: AbortSignal): Promise<void> {
    const insert = this.db.prepare<[number, number]>('INSERT INTO players (id, score) VALUES (?, ?)');
    const batch = this.db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) insert.run(i + 1, scores[i] as number);
    });
    for (let from = 0; from < scores.length; from += ROWS_PER_TRANSACTION) {
      signal?.throwIfAborted();
      batch(from, Math.min(from + ROWS_PER_TRANSACTION, scores.length));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  addPoints(player: number, points: number): void {
    this.update.run(points, player);
  }

  /** The query the figure times: a fresh statement, so it is planned against the table's current indexes. */
  topQuery(n: number): () => Ranked[] {
    const statement = this.db.prepare<[number], { id: number; score: number }>(
      'SELECT id, score FROM players ORDER BY score DESC LIMIT ?',
    );
    return () => statement.all(n).map((row) => ({ player: row.id, score: row.score }));
  }

  /** 1-based rank by SQL: players with a higher score, plus one. */
  rank(player: number): number {
    const row = this.db
      .prepare<[number], { n: number }>(
        'SELECT COUNT(*) AS n FROM players WHERE score > (SELECT score FROM players WHERE id = ?)',
      )
      .get(player);
    return (row?.n ?? 0) + 1;
  }

  createScoreIndex(): void {
    this.db.exec('CREATE INDEX players_score ON players (score)');
  }

  /** SQLite's plan for the top-N query, e.g. "SCAN players | USE TEMP B-TREE FOR ORDER BY". */
  plan(): string {
    const steps = this.db
      .prepare<[], { detail: string }>('EXPLAIN QUERY PLAN SELECT id, score FROM players ORDER BY score DESC LIMIT 10')
      .all();
    return steps.map((step) => step.detail).join(' | ');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export class RedisLeaderboard {
  constructor(
    private readonly client: RedisClient,
    readonly key: string,
  ) {}

  /**
   * ZADD in batches, lowest scores first: each insert then lands at the
   * skiplist's tail, which took half the server time of random order here
   * (200,000 members: 0.94 s against 2.0 s on this 2-core machine).
   */
  async fill(scores: Uint32Array, signal?: AbortSignal): Promise<void> {
    const order = Uint32Array.from(scores.keys()).sort((a, b) => (scores[a] as number) - (scores[b] as number));
    for (let from = 0; from < scores.length; from += MEMBERS_PER_ZADD) {
      signal?.throwIfAborted();
      const members = [];
      for (const i of order.subarray(from, from + MEMBERS_PER_ZADD))
        members.push({ score: scores[i] as number, value: String(i + 1) });
      await this.client.zAdd(this.key, members);
    }
  }

  /** ZINCRBY: the player's new score. */
  async addPoints(player: number, points: number): Promise<number> {
    return Number(await this.client.zIncrBy(this.key, points, String(player)));
  }

  /** ZRANGE key 0 n-1 REV WITHSCORES (ZREVRANGE's form since Redis 6.2). */
  async top(n: number): Promise<Ranked[]> {
    const rows = await this.client.zRangeWithScores(this.key, 0, n - 1, { REV: true });
    return rows.map((row) => ({ player: Number(row.value), score: Number(row.score) }));
  }

  /** 1-based rank by ZREVRANK. */
  async rank(player: number): Promise<number | undefined> {
    const rank = await this.client.zRevRank(this.key, String(player));
    return rank === null ? undefined : Number(rank) + 1;
  }
}

/** Games played at once: ZINCRBYs pipelined on one connection, as a busy game server would send them. */
const GAMES_IN_FLIGHT = 100;

/** `games` games: a seeded player wins 1 to 1000 points, in Redis (ZINCRBY) and in SQL alike. */
export async function playGames(
  games: number,
  players: number,
  rng: Rng,
  board: RedisLeaderboard,
  table: PlayersTable,
  signal?: AbortSignal,
): Promise<void> {
  for (let played = 0; played < games; played += GAMES_IN_FLIGHT) {
    signal?.throwIfAborted();
    const round = [];
    for (let game = played; game < Math.min(played + GAMES_IN_FLIGHT, games); game++) {
      const player = 1 + Math.floor(rng.next() * players);
      const points = 1 + Math.floor(rng.next() * 1000);
      table.addPoints(player, points);
      round.push(board.addPoints(player, points));
    }
    await Promise.all(round);
  }
}
