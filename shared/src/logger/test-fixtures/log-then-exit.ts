// Logs to the default destination (stdout) and exits at once: every line must be out already.
import { createLogger } from '../create-logger.ts';

const log = createLogger({ service: 'fixture', env: 'test', version: '9.9.9', level: 'info' });
log.info({ user: { id: 'u1', email: 'fixture@example.com' } }, 'about to exit');
log.error(new Error('crash with token=fixture-secret-token'));
process.exit(3);
