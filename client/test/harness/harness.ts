/**
 * Browser harness for console parts that need a real browser: ConsoleApi and the live feed's SocketDataSource (driven
 * on the server's own origin, with its cookies) and the handoff queue view (fed requests by the test).
 */
import { ConsoleApi } from '../../src/console/ConsoleApi.ts';
import { HandoffQueueView } from '../../src/console/HandoffQueueView.ts';
import { SocketDataSource } from '../../src/console/SocketDataSource.ts';

(window as unknown as { harness: object }).harness = { ConsoleApi, HandoffQueueView, SocketDataSource };
