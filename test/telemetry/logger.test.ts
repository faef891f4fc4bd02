import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { contextSink, createLogger, memorySink } from '../../src/telemetry/logger.js';

describe('createLogger', () => {
  it('when a correlation id is in the base, then every line carries it first', () => {
    const { sink, lines } = memorySink();
    const logger = createLogger(sink, { correlationId: 'corr-1' });

    logger.info('one', { recordId: 'r1' });
    logger.warn('two');
    logger.error('three', { attempt: 2 });

    expect(lines.map((line) => line.properties['correlationId'])).toEqual(['corr-1', 'corr-1', 'corr-1']);
    expect(Object.keys(lines[0]?.properties ?? {})[0]).toBe('correlationId');
    expect(lines.map((line) => line.level)).toEqual(['info', 'warn', 'error']);
  });

  it('when a child is made with a correlation id, then its lines carry it and the parent keeps its own', () => {
    const { sink, lines } = memorySink();
    const parent = createLogger(sink, { functionName: 'sync-job' });

    parent.child({ correlationId: 'corr-2' }).child({ recordId: 'r2' }).info('child line');
    parent.info('parent line');

    expect(lines[0]?.properties).toEqual({ correlationId: 'corr-2', functionName: 'sync-job', recordId: 'r2' });
    expect(lines[1]?.properties).toEqual({ functionName: 'sync-job' });
  });

  it('when properties hold a Secret, a password, a signed URL and an Error with a URL, then none leaks', () => {
    const { sink, lines } = memorySink();
    const logger = createLogger(sink, { correlationId: 'corr-3' });

    logger.error('BC call failed for https://api.bc.test/x?code=abc', {
      key: new Secret('app-key-value'),
      body: { password: 'x' },
      url: 'https://func.test/api/cin7-webhook?code=abc',
      error: new Error('POST https://login.test/token?client_secret=s3cr3t failed'),
    });

    const line = lines[0];
    expect(line?.message).toBe('BC call failed for https://api.bc.test/x');
    expect(line?.properties).toEqual({
      correlationId: 'corr-3',
      key: '[redacted]',
      body: { password: '[redacted]' },
      url: 'https://func.test/api/cin7-webhook',
      error: { name: 'Error', message: 'POST https://login.test/token failed' },
    });
    const text = JSON.stringify(lines);
    for (const leak of ['app-key-value', 'code=abc', 's3cr3t', '"x"']) expect(text).not.toContain(leak);
  });

  it('when the sink throws, then the caller is not affected', () => {
    const logger = createLogger(() => {
      throw new Error('sink down');
    });

    expect(() => logger.info('still fine')).not.toThrow();
  });
});

describe('contextSink', () => {
  it('when a line is written, then it goes to the invocation log at its level with properties as JSON', () => {
    const logged: Array<{ level: string; args: unknown[] }> = [];
    const context = new InvocationContext({
      functionName: 'test',
      logHandler: (level, ...args) => logged.push({ level, args }),
    });
    const logger = createLogger(contextSink(context), { correlationId: 'corr-4' });

    logger.warn('slow', { apiToken: 't0k3n', durationMs: 1200 });
    logger.info('bare', {});

    expect(logged).toEqual([
      { level: 'warning', args: ['slow', '{"correlationId":"corr-4","apiToken":"[redacted]","durationMs":1200}'] },
      { level: 'information', args: ['bare', '{"correlationId":"corr-4"}'] },
    ]);
  });

  it('when a line has no properties, then only the message is written', () => {
    const logged: unknown[][] = [];
    const context = new InvocationContext({ logHandler: (_level, ...args) => logged.push(args) });

    createLogger(contextSink(context)).error('failed');

    expect(logged).toEqual([['failed']]);
  });
});
