/**
 * A run that dies without closing its source: seeds the owned table, prints
 * `seeded <table>`, and waits to be killed (SIGKILL: no cleanup runs); it
 * exits by itself after two minutes should the test never kill it.
 * Usage: node --import tsx test/helpers/seedAndWait.ts URL RUN_ID
 */

import { parseSourceUrl } from '../../src/config/sourceUrl.ts';
import { openDatabaseSource } from '../../src/source/databaseSource.ts';

const [url = '', runId = ''] = process.argv.slice(2);
const target = parseSourceUrl(url, '--source');
if (target.kind === 'sqlite') throw new Error('needs a database URL');
const driver = await openDatabaseSource(target, { pool: 2, runId });
await driver.seed(1000, 1);
process.stdout.write(`seeded ${driver.table}\n`);
setTimeout(() => process.exit(0), 120_000);
