/**
 * Browser harness for console parts that need a real browser but no live feed: ConsoleApi (driven on the server's
 * own origin, with its cookies) and the handoff queue view (fed requests by the test).
 */
import { ConsoleApi } from '../../src/console/consoleApi.ts';
import { HandoffQueueView } from '../../src/console/HandoffQueueView.ts';

(window as unknown as { harness: object }).harness = { ConsoleApi, HandoffQueueView };
