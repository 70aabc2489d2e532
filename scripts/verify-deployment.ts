// `npm run verify:deployment -- --api URL [--web URL]`: checks a running deployment from the
// outside — health endpoints, /metrics refusing a caller without the token, security headers,
// CORS refusing a foreign origin, http → https redirect and HSTS on https URLs, response
// times — prints a table, and exits 1 on any failure (2 on a usage error). Run it after every deploy (docs/runbooks/deploy.md).
import { failed } from './verify-deployment/check-result.ts';
import { parseVerifyArgs, USAGE, UsageError } from './verify-deployment/options.ts';
import { renderReport } from './verify-deployment/report.ts';
import { verifyDeployment } from './verify-deployment/verify.ts';

try {
  const options = parseVerifyArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
  } else {
    const results = await verifyDeployment(options);
    console.log(renderReport(results, options));
    process.exitCode = failed(results).length === 0 ? 0 : 1;
  }
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`[verify:deployment] ${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(
      `[verify:deployment] failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exitCode = 1;
  }
}
