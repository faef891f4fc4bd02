/**
 * The operator console: a hash-routed page over the console API. Plain TypeScript and the DOM, no UI
 * library: six views of tables and forms need no virtual DOM, and the page stays a few kilobytes with nothing
 * fetched from a CDN.
 */
import { api } from './api.js';
import { isApiError, type Session, type ViewContext } from './context.js';
import { h, replace } from './dom.js';
import { gapsView } from './views/gaps.js';
import { mappingsView } from './views/mappings.js';
import { overviewView } from './views/overview.js';
import { recordView } from './views/record.js';
import { recordsView } from './views/records.js';

const views: Record<string, (ctx: ViewContext) => Promise<void>> = {
  overview: overviewView,
  records: recordsView,
  record: recordView,
  gaps: gapsView,
  mappings: mappingsView,
};
const titles: Record<string, string> = {
  overview: 'Overview',
  records: 'Records',
  record: 'Record',
  gaps: 'Gaps',
  mappings: 'Mappings',
};

const main = document.getElementById('main') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
let shown = 0;

function say(message: string, kind: 'info' | 'error' = 'info'): void {
  replace(status, h('p', { class: kind === 'error' ? 'bad' : 'good' }, message));
}

function fail(error: unknown): void {
  if (isApiError(error)) {
    say(`${error.message}${error.problems.length > 0 ? `: ${error.problems.join('; ')}` : ''}`, 'error');
  } else say(error instanceof Error ? error.message : String(error), 'error');
}

async function render(session: Session): Promise<void> {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [pathPart = '', search = ''] = raw.split('?');
  const path = pathPart
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  const name = path[0] && views[path[0]] ? path[0] : 'overview';
  const mine = (shown += 1);
  document.title = `${titles[name] ?? 'Console'} · Cin7 → BC console`;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('header nav a')) {
    const target = link.getAttribute('href')?.slice(2);
    if (target === name || (name === 'record' && target === 'records')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const ctx: ViewContext = {
    session,
    path,
    params: new URLSearchParams(search),
    main,
    say,
    fail,
    current: () => mine === shown,
  };
  try {
    await (views[name] ?? overviewView)(ctx);
    if (ctx.current()) main.querySelector<HTMLElement>('h1')?.focus();
  } catch (error) {
    if (!ctx.current()) return;
    replace(
      main,
      h('h1', { tabindex: '-1' }, titles[name] ?? 'Console'),
      h('p', { class: 'bad' }, 'This view could not be loaded.'),
    );
    fail(error);
  }
}

async function start(): Promise<void> {
  let session: Session;
  try {
    session = await api<Session>('me');
  } catch (error) {
    replace(main, h('h1', {}, 'Console unavailable'));
    fail(error);
    return;
  }
  const who = document.getElementById('who');
  if (who)
    replace(
      who,
      session.name ?? '',
      ' · ',
      session.canOperate
        ? 'operator'
        : h(
            'span',
            { id: 'read-only-note' },
            'read only (replay, skip and mapping changes need the Console.Operator role)',
          ),
    );
  window.addEventListener('hashchange', () => {
    replace(status);
    void render(session);
  });
  await render(session);
}

void start();
