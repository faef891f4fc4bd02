/**
 * What the browser tests share: the demo's data kept running, a console server per role over it, headless
 * Chromium from the system (never downloaded), screenshots, and the axe-core scan.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runDemo, type DemoResult } from '../demo/demo-runner.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { startConsoleServer, type ConsoleRole, type ConsoleServer } from './console-server.js';
import { inMemoryConsoleAssets } from './console-assets.js';

/** Screenshots of every view, rewritten on every run (README "Operator console"). */
export const screenshotDir = new URL('./screenshots/', import.meta.url);

export function chromiumPath(): string {
  const path = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(
      `no Chromium at ${path}: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  return path;
}

export async function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's own sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
}

export interface DemoConsole {
  sandbox: Sandbox;
  result: DemoResult;
  servers: Record<ConsoleRole, ConsoleServer>;
  stop(): Promise<void>;
}

/** Runs the demo (small), keeps it running, and serves the console over it as an operator and as a reader. */
export async function startDemoConsole(azuriteConnectionString: string): Promise<DemoConsole> {
  let release!: () => void;
  let stopped: Promise<void> = Promise.resolve();
  const released = new Promise<void>((resolve) => (release = resolve));
  const ready = new Promise<{ sandbox: Sandbox; result: DemoResult; servers: Record<ConsoleRole, ConsoleServer> }>(
    (resolve, reject) => {
      const run = runDemo({
        purchases: 30,
        seed: 42,
        azuriteConnectionString,
        afterRun: async (sandbox, result) => {
          const assets = inMemoryConsoleAssets();
          const common = { deps: sandbox.deps, settings: sandbox.settings, assets };
          const servers = {
            operator: await startConsoleServer({ ...common, role: 'operator' }),
            reader: await startConsoleServer({ ...common, role: 'reader' }),
          };
          resolve({ sandbox, result, servers });
          await released;
          await Promise.all([servers.operator.close(), servers.reader.close()]);
        },
      });
      run.catch(reject);
      stopped = run.then(() => undefined);
    },
  );
  const started = await ready;
  return {
    ...started,
    stop: async () => {
      release();
      await stopped;
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, screenshotDir).pathname, fullPage: true });
}

/** Writes a measurement next to the screenshots (e.g. the page weight the README quotes). */
export async function record(name: string, value: unknown): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await writeFile(new URL(`${name}.json`, screenshotDir), `${JSON.stringify(value, null, 2)}\n`);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(await axeSource);
  // A string, so it runs in the page (the tests have no DOM types): WCAG 2.1 A and AA rules only.
  const violations = await page.evaluate<AxeViolation[]>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations)",
  );
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
