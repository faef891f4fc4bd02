/**
 * Calls to the console API (`/api/console/api/…`). In Azure the browser's App Service Authentication session
 * cookie goes with each call; a 401 sends the browser to sign in.
 */
const base = '/api/console/api/';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: string;
  message?: string;
  problems?: unknown[];
  signIn?: string;
}

function describeProblem(problem: unknown): string {
  if (typeof problem === 'string') return problem;
  if (typeof problem === 'object' && problem !== null && 'line' in problem && 'problem' in problem)
    return `line ${String(problem.line)}: ${String(problem.problem)}`;
  return JSON.stringify(problem);
}

export async function api<T>(
  path: string,
  init: { method?: string; json?: unknown; text?: string; allow?: readonly number[] } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.text !== undefined) {
    headers['content-type'] = 'text/csv';
    body = init.text;
  }
  const response = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  const parsed: unknown = text === '' ? {} : (JSON.parse(text) as unknown);
  // `allow`: statuses whose body is still the answer (the health check's 503 lists what failed).
  if (response.ok || init.allow?.includes(response.status) === true) return parsed as T;
  const error = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as ErrorBody;
  if (response.status === 401 && typeof error.signIn === 'string') window.location.assign(error.signIn);
  const problems = (error.problems ?? []).map(describeProblem);
  throw new ApiError(error.message ?? error.error ?? `HTTP ${response.status}`, response.status, problems);
}

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
