import { PROBLEM_TYPES, type FieldError, type ProblemDetails } from '@saas/shared/contracts';

// Field paths of the API's requests, as people call them.
const FIELD_LABELS: Record<string, string> = {
  filename: 'File name',
  contentType: 'File type',
  size: 'File size',
  email: 'Email address',
};

const sentence = (s: string): string => {
  const t = s.trim();
  if (t === '') return t;
  const capital = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

const fieldSentence = (e: FieldError): string => {
  const label = FIELD_LABELS[e.path] ?? (e.path === '' ? 'Request' : `Field “${e.path}”`);
  return sentence(`${label}: ${e.message.replace(/^[A-Z](?![A-Z])/, (c) => c.toLowerCase())}`);
};

/** Field errors (from the API or from the same zod schema in the browser) as sentences. */
export const describeFieldErrors = (errors: readonly FieldError[]): string =>
  errors.map(fieldSentence).join(' ');

const retryAfter = (p: ProblemDetails): number | undefined => {
  const v = p['retryAfterS'];
  return typeof v === 'number' && v > 0 ? Math.ceil(v) : undefined;
};

/**
 * An `application/problem+json` body as sentences a person can act on. Switches on the stable
 * `type` URN (never on `title`); field errors name the field; the request id is appended so a
 * support request can find the API's log line.
 */
export function describeProblem(p: ProblemDetails): string {
  const fields = describeFieldErrors(p.errors ?? []);
  const detail = p.detail ? sentence(p.detail) : '';
  let text: string;
  switch (p.type) {
    case PROBLEM_TYPES.validation:
    case PROBLEM_TYPES.uploadPolicy:
      text = fields || detail || 'The request was not accepted. Check the values and try again.';
      break;
    case PROBLEM_TYPES.unauthorized:
      text = 'Your session has expired or is not valid. Sign in again.';
      break;
    case PROBLEM_TYPES.forbidden:
      text = detail || 'You are not allowed to do that.';
      break;
    case PROBLEM_TYPES.notFound:
      text = detail
        ? `${detail} It may have been deleted; refresh the list.`
        : 'That item no longer exists. Refresh the list.';
      break;
    case PROBLEM_TYPES.conflict:
      text = detail || 'That action does not fit the item’s current state. Refresh and try again.';
      break;
    case PROBLEM_TYPES.payloadTooLarge:
      text = 'The request is too large.';
      break;
    case PROBLEM_TYPES.rateLimited: {
      const s = retryAfter(p);
      text = `Too many requests. Try again${s ? ` in ${s} second${s === 1 ? '' : 's'}` : ' in a moment'}.`;
      break;
    }
    case PROBLEM_TYPES.unavailable: {
      const s = retryAfter(p);
      text = `${detail || 'The service is temporarily unavailable.'} Try again${s ? ` in ${s} second${s === 1 ? '' : 's'}` : ' in a moment'}.`;
      break;
    }
    case PROBLEM_TYPES.internal:
      text = 'Something went wrong on our side. Try again; if it keeps happening, contact support.';
      break;
    default:
      text = detail || fields || sentence(p.title);
  }
  return `${text} (Reference: ${p.requestId})`;
}
