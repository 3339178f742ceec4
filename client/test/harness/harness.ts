/**
 * Browser harness for the console's API client: exposes ConsoleApi so a Chromium test on the server's own origin
 * (its cookies, its CSP) can drive sessions the way the console page does.
 */
import { ConsoleApi } from '../../src/console/consoleApi.ts';

(window as unknown as { harness: { ConsoleApi: typeof ConsoleApi } }).harness = { ConsoleApi };
