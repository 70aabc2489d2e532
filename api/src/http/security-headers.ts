import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Headers for a JSON API: nothing here renders a document, so the CSP forbids everything and
 * the browser-document headers helmet adds for HTML sites (COOP, Origin-Agent-Cluster,
 * X-DNS-Prefetch-Control, X-Download-Options, X-XSS-Protection…) are left out: each costs a
 * setHeader on every response and protects nothing here. HSTS only in production: on
 * http://localhost it would pin the browser to https for a year.
 */
export const securityHeaders = (opts: { production: boolean }): RequestHandler =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    strictTransportSecurity: opts.production
      ? { maxAge: 63072000, includeSubDomains: true }
      : false,
    xContentTypeOptions: true,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-site' },
    xFrameOptions: { action: 'deny' },
    crossOriginOpenerPolicy: false,
    crossOriginEmbedderPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    xPoweredBy: true,
  });
