import { z } from 'zod';

// zod compiles fast object parsers with `new Function` when it may; merely probing for that is
// reported as a Content-Security-Policy violation under a CSP without 'unsafe-eval' (ours).
// jitless skips the probe and the compiler; parsing the API's small bodies stays cheap.
z.config({ jitless: true });
