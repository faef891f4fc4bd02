/** A small element builder: the console's only "framework" (the page has six views and no shared state). */
export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Handler = (event: Event) => void;
export type Props = Record<string, string | number | boolean | Handler | null | undefined>;

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (typeof child === 'string' || typeof child === 'number')
    parent.appendChild(document.createTextNode(String(child)));
  else if (child instanceof Node) parent.appendChild(child);
  else for (const c of child) append(parent, c);
}

function applyProps(element: Element, props: Props): void {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(key.slice(2).toLowerCase(), value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  applyProps(element, props);
  append(element, children);
  return element;
}

export function svg(tag: string, props: Props = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  applyProps(element, props);
  append(element, children);
  return element;
}

/** A table's header row, one column header per argument. */
export function tableHead(...columns: Array<Node | string>): HTMLTableSectionElement {
  return h(
    'thead',
    {},
    h(
      'tr',
      {},
      columns.map((column) => h('th', { scope: 'col' }, column)),
    ),
  );
}

/** A link into Cin7 or BC, opened in a new tab; `hint` tells screen readers where it goes when `text` does not. */
export function newTabLink(href: string, text: string, hint?: string): HTMLAnchorElement {
  return h('a', { href, target: '_blank', rel: 'noopener' }, text, hint ? h('span', { class: 'sr-only' }, hint) : null);
}

export function replace(target: Element, ...children: Child[]): void {
  target.replaceChildren();
  append(target, children);
}

const money = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const formatAmount = (value: number): string => money.format(value);

export function formatTime(iso: string | undefined | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function stateBadge(state: string): HTMLElement {
  return h('span', { class: `badge state-${state}` }, state);
}
