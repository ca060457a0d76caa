/**
 * The seed's run.py: a hash named after today's date with three fruit
 * fields, expiring in 40 s, read back as one plain object. The expiry is on
 * the whole hash: per-field TTL (HEXPIRE) needs Redis 7.4, so we ask the server.
 */
import { RedisRepository } from '../src/cache/repository.ts';
import { runExample, show } from './shared.ts';

const TTL_SECONDS = 40;

/** Local YYYY-MM-DD, as the seed's `date.today()`. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

await runExample('hash-ttl', async ({ client, prefix }) => {
  const repo = new RedisRepository(client, prefix);
  const hash = today();
  const fruits = { banana: '12', apple: '7', uva: '30' };
  console.log(`hash ${prefix}${hash}, TTL ${TTL_SECONDS} s (MULTI: HSET + EXPIRE per field):`);
  for (const [field, value] of Object.entries(fruits)) {
    await repo.hashSetWithTtl(hash, field, value, TTL_SECONDS);
    console.log(`  HSET ${field} "${value}" + EXPIRE ${TTL_SECONDS}`);
  }
  show(`HGET ${hash} banana`, await repo.hashGet(hash, 'banana'));
  show(`HGETALL ${hash}`, await repo.hashGetAll(hash));
  show(`TTL ${hash}`, await repo.ttl(hash));
  console.log(`hash-field TTL (HEXPIRE, Redis 7.4+) supported: ${await repo.supportsHashFieldTtl()}`);
});
