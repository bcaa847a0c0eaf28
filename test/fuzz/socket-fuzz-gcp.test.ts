import { startGcpCommand } from '../support/start-gcp.js';
import { describeSocketFuzz } from '../support/socket-fuzz-suite.js';

/**
 * `npm run start:gcp` as a user runs it (the shared front door, functions-framework servers, the Firestore
 * and Pub/Sub emulators) under the hostile generators and the raw cases, through its front door's socket
 * (issue 18). 300 per route, as the issue asks of each engine-backed stack.
 */
describeSocketFuzz('npm run start:gcp', startGcpCommand, 300);
