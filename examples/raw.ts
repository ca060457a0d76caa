/**
 * The seed's redis_raw.py: the basic commands straight on the node-redis
 * client (SET/GET, HSET/HGET, EXPIRE/TTL), every key under the run prefix.
 */
import { keyName } from '../src/redis/keyspace.ts';
import { runExample, show } from './shared.ts';

await runExample('raw', async ({ client, prefix }) => {
  const greeting = keyName(prefix, 'greeting', 1);
  console.log('strings:');
  show(`SET ${greeting} "hello"`, await client.set(greeting, 'hello'));
  show(`GET ${greeting}`, await client.get(greeting));

  const user = keyName(prefix, 'user', 1);
  console.log('hashes:');
  show(`HSET ${user} name "Alice"`, await client.hSet(user, 'name', 'Alice'));
  show(`HGET ${user} name`, await client.hGet(user, 'name'));

  console.log('expiry:');
  show(`TTL ${greeting}`, await client.ttl(greeting));
  show(`EXPIRE ${greeting} 30`, await client.expire(greeting, 30));
  show(`TTL ${greeting}`, await client.ttl(greeting));
  show(`TTL ${keyName(prefix, 'missing', 1)}`, await client.ttl(keyName(prefix, 'missing', 1)));
  console.log('  (TTL: -1 = no expiry, -2 = no such key)');
});
