/**
 * The seed's "leaderboards (sorted sets)": players' scores in a Redis sorted
 * set, ZINCRBY per game, the top 10 by ZRANGE … REV WITHSCORES and a player's
 * rank by ZREVRANK. Cached vs uncached, in this tool's spirit: the same top 10
 * from Redis, and from SQL (`ORDER BY score DESC LIMIT 10`) on a table of the
 * same players without and with an index on the score, timed by tinybench.
 *
 * `npm run example:leaderboard -- --players N` for another table size.
 */
import { Bench, type Task } from 'tinybench';
import { UsageError } from '../src/errors.ts';
import { createRng } from '../src/workload/rng.ts';
import { PlayersTable, playGames, type Ranked, RedisLeaderboard, startingScores } from './lib/leaderboard.ts';
import { argsOrExit, count, runExample } from './shared.ts';

const SEED = 42;
const GAMES = 10_000;
const LOOKED_UP = 1;
const PLAYERS = { default: 1_000_000, min: 100, max: 10_000_000 };

function parsePlayers(argv: string[]): number {
  if (argv.length === 0) return PLAYERS.default;
  const [flag, value, ...rest] = argv;
  const players = Number(value);
  if (
    flag !== '--players' ||
    rest.length > 0 ||
    !Number.isInteger(players) ||
    players < PLAYERS.min ||
    players > PLAYERS.max
  )
    throw new UsageError(
      `leaderboard takes only --players N (a whole number from ${PLAYERS.min} to ${PLAYERS.max}), got "${argv.join(' ')}"`,
    );
  return players;
}

const players = argsOrExit(parsePlayers);

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const same = (a: Ranked[], b: Ranked[]) => JSON.stringify(a) === JSON.stringify(b);

interface Row {
  name: string;
  meanMs: number;
  p99Ms: number;
  samples: number;
}

/** tinybench: Redis and the plain table first, then the same SQL once the index exists (the plans are printed). */
async function timeTopTen(board: RedisLeaderboard, table: PlayersTable, signal: AbortSignal): Promise<Row[]> {
  // A scan of a million rows takes ~0.1 s: a few iterations are enough, and the default 64 would take minutes.
  const options = { time: 1000, iterations: 8, warmupIterations: 2, warmupTime: 0, signal };
  console.log(`SQLite plan without an index: ${table.plan()}`);
  const before = new Bench(options)
    .add('Redis ZRANGE 0 9 REV WITHSCORES', () => board.top(10))
    .add('SQLite ORDER BY score DESC LIMIT 10, no index', table.topQuery(10));
  await before.run();
  signal.throwIfAborted();
  const started = performance.now();
  table.createScoreIndex();
  console.log(`CREATE INDEX on score: ${seconds(started)}; plan now: ${table.plan()}`);
  const after = new Bench(options).add('SQLite ORDER BY score DESC LIMIT 10, index', table.topQuery(10));
  await after.run();
  signal.throwIfAborted();
  return [...before.tasks, ...after.tasks].map(rowOf);
}

function rowOf(task: Task): Row {
  const result = task.result;
  if (result.state !== 'completed') throw new Error(`tinybench task "${task.name}" ended ${result.state}`);
  return {
    name: task.name,
    meanMs: result.latency.mean,
    p99Ms: result.latency.p99,
    samples: result.latency.samplesCount,
  };
}

const ms = (value: number | undefined) => (value === undefined ? '?' : value < 1 ? value.toFixed(3) : value.toFixed(1));

function printTable(rows: Row[]): void {
  const width = Math.max(...rows.map((row) => row.name.length));
  console.log(
    `  ${'top 10 from'.padEnd(width)}  ${'mean ms'.padStart(9)}  ${'p99 ms'.padStart(9)}  ${'samples'.padStart(8)}`,
  );
  for (const row of rows) {
    console.log(
      `  ${row.name.padEnd(width)}  ${ms(row.meanMs).padStart(9)}  ${ms(row.p99Ms).padStart(9)}  ${count(row.samples).padStart(8)}`,
    );
  }
}

await runExample('leaderboard', async ({ client, prefix }, stop) => {
  const rng = createRng(SEED);
  const board = new RedisLeaderboard(client, `${prefix}leaderboard`);
  const table = new PlayersTable();
  try {
    let started = performance.now();
    const scores = startingScores(players, rng.fork('scores'));
    await table.fill(scores, stop);
    await board.fill(scores, stop);
    console.log(
      `${count(players)} players, seeded scores (seed ${SEED}): SQLite table players (in memory) ` +
        `and sorted set ${board.key}, filled in ${seconds(started)}`,
    );
    started = performance.now();
    await playGames(GAMES, players, rng.fork('games'), board, table, stop);
    console.log(`${count(GAMES)} games: ZINCRBY (and the same UPDATE in SQL), in ${seconds(started)}`);

    const top = await board.top(10);
    console.log('top 10 by ZRANGE … 0 9 REV WITHSCORES:');
    top.forEach((row, i) => {
      console.log(`  ${String(i + 1).padStart(2)}. player ${row.player}  ${count(row.score)}`);
    });
    const sqlTop = table.topQuery(10);
    console.log(`same as SQL ORDER BY score DESC LIMIT 10: ${same(top, sqlTop()) ? 'yes' : 'NO'}`);
    console.log(
      `rank of player ${LOOKED_UP}: ZREVRANK -> ${await board.rank(LOOKED_UP)}, SQL -> ${table.rank(LOOKED_UP)}`,
    );

    const rows = await timeTopTen(board, table, stop);
    printTable(rows);
    const [redis, scan, indexed] = rows.map((row) => row.meanMs);
    console.log('  (this SQLite is in process and in memory: a MySQL across a network adds its round trip to each)');
    console.log(
      `figure: the top 10 of ${count(players)} from Redis in ${ms(redis)} ms, from SQLite in ${ms(scan)} ms ` +
        `without an index and ${ms(indexed)} ms with one`,
    );
  } finally {
    table.close();
  }
});
