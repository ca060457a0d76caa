/**
 * `example:leaderboard`: after the same seeded scores and games, Redis's top
 * 10 and ranks are SQL's; the index changes SQLite's plan; the script prints
 * the tinybench table and refuses bad arguments with one line and exit 2.
 */
import { describe, expect, it } from 'vitest';
import { PlayersTable, playGames, RedisLeaderboard, startingScores } from '../../examples/lib/leaderboard.ts';
import { createRng } from '../../src/workload/rng.ts';
import { STACK_LINE } from '../helpers/cli.ts';
import { figure, runBesideUserKeys, runExample, SCRIPT_TIMEOUT_MS, useExampleServer } from './run.ts';

const USER_KEYS = { leaderboard: 'the user own board', 'products:1': 'user data' };

describe('leaderboard', { timeout: SCRIPT_TIMEOUT_MS }, () => {
  const server = useExampleServer();

  it('gives the same top 10 and ranks from Redis as from SQL, after the same games', async () => {
    const players = 5000;
    const rng = createRng(7);
    const scores = startingScores(players, rng.fork('scores'));
    const table = new PlayersTable();
    const board = new RedisLeaderboard(server.scratch, 'cab:test0001:leaderboard');
    try {
      await table.fill(scores);
      await board.fill(scores);
      expect(await server.scratch.zCard(board.key)).toBe(players);
      await playGames(2000, players, rng.fork('games'), board, table);
      const top = await board.top(10);
      expect(top).toHaveLength(10);
      expect(top.map((row) => row.score)).toEqual([...top.map((row) => row.score)].sort((a, b) => b - a));
      expect(top).toEqual(table.topQuery(10)());
      for (const player of [1, 2500, 5000]) expect(await board.rank(player)).toBe(table.rank(player));
      expect(await board.rank(players + 1)).toBeUndefined();
    } finally {
      table.close();
    }
  });

  it('ZINCRBY adds to the score and moves the player up', async () => {
    const board = new RedisLeaderboard(server.scratch, 'cab:test0002:leaderboard');
    await board.fill(Uint32Array.from([10, 20, 30]));
    expect(await board.rank(1)).toBe(3);
    expect(await board.addPoints(1, 25)).toBe(35);
    expect(await board.rank(1)).toBe(1);
    expect(await board.top(2)).toEqual([
      { player: 1, score: 35 },
      { player: 3, score: 30 },
    ]);
  });

  it('sorts the whole table without the index and walks the index with it', () => {
    const table = new PlayersTable();
    try {
      expect(table.plan()).toMatch(/USE TEMP B-TREE FOR ORDER BY/);
      table.createScoreIndex();
      expect(table.plan()).toMatch(/USING (COVERING )?INDEX players_score/);
    } finally {
      table.close();
    }
  });

  it('prints the top 10, the matching SQL answer and a three-row tinybench table; leaves only the user keys', async () => {
    const stdout = await runBesideUserKeys(server, 'leaderboard', USER_KEYS, ['--players', '20000']);
    expect(stdout).toContain('20,000 players, seeded scores (seed 42)');
    expect(stdout.match(/^ {2}[ \d]\d\. player \d+ {2}[\d,]+$/gm)).toHaveLength(10);
    expect(stdout).toContain('same as SQL ORDER BY score DESC LIMIT 10: yes');
    const [, redisRank, sqlRank] = /ZREVRANK -> (\d+), SQL -> (\d+)/.exec(stdout) ?? [];
    expect(redisRank).toBeDefined();
    expect(redisRank).toBe(sqlRank);
    for (const row of ['Redis ZRANGE 0 9 REV WITHSCORES', 'no index', ', index']) {
      expect(stdout).toMatch(new RegExp(`^ {2}.*${row} +[\\d.]+ +[\\d.]+ +[\\d,]+$`, 'm'));
    }
    expect(figure(stdout, /from SQLite in ([\d.]+) ms without an index/)).toBeGreaterThan(0);
  });

  it.each([[['--players', '5']], [['--rows', '1000', 'extra']]])(
    'refuses %j with one line and exit 2, before touching Redis',
    async (args) => {
      const result = await runExample('leaderboard', { args, env: { REDIS_URL: server.redis.url } });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^error: leaderboard takes only --players N \(a whole number from 100 to 10000000\), got ".*"\n$/,
      );
      expect(result.stderr).not.toMatch(STACK_LINE);
    },
  );
});
