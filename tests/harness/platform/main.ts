// CLI: node --import tsx tests/harness/platform/main.ts [--port 3330]
// Prints one machine-readable line once listening:
//   FAKE_PLATFORM_READY url=http://127.0.0.1:3330 token=<the team token it accepts>
// Binds 127.0.0.1 only. Stops on SIGTERM/SIGINT and when its parent process dies.
import { parseArgs } from 'node:util';
import { watchParent } from '../emulator/parent-watch';
import { startFakePlatform } from './server';

const { values } = parseArgs({ options: { port: { type: 'string', default: '3330' } } });
const platform = await startFakePlatform(Number(values.port));
console.log(`FAKE_PLATFORM_READY url=${platform.url} token=${platform.token}`);

const stop = () => void platform.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
watchParent(stop);
