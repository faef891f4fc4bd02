import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startBcSimulator, type BcSimulator } from '../sandbox/bc/bc-simulator.js';

let bc: BcSimulator | undefined;
afterEach(async () => {
  await bc?.close();
  bc = undefined;
});

const get = async (url: string, token = 'user-a') => {
  const response = await request(url, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.statusCode, body: await response.body.text() };
};

describe('BC simulator limits', () => {
  it('when a user exceeds the request window, then 429; another user is unaffected', async () => {
    bc = await startBcSimulator({
      tenantId: 't',
      environment: 'e',
      validateToken: () => true,
      limits: { requestsPer5Min: 3 },
    });
    const url = `${bc.apiRoot}/companies`;
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get(url)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await get(url, 'user-b')).status).toBe(200);
  });

  it('when more than the concurrent limit arrive and wait too long, then the queued ones get 503', async () => {
    bc = await startBcSimulator({
      tenantId: 't',
      environment: 'e',
      validateToken: () => true,
      limits: { maxConcurrent: 1, queueTimeoutMs: 50 },
    });
    bc.faults.add({ system: 'bc', kind: 'latency', latencyMs: 200, times: 1 });
    const url = `${bc.apiRoot}/companies`;
    const [slow, queued] = await Promise.all([get(url), new Promise((r) => setTimeout(r, 20)).then(() => get(url))]);
    expect(slow.status).toBe(200);
    expect(queued.status).toBe(503);
  });

  it('when the token is not valid, then 401 Authentication_InvalidCredentials', async () => {
    bc = await startBcSimulator({ tenantId: 't', environment: 'e', validateToken: () => false });
    const response = await get(`${bc.apiRoot}/companies`);
    expect(response.status).toBe(401);
    expect(response.body).toContain('Authentication_InvalidCredentials');
  });

  it('when the company does not exist, then Internal_CompanyNotFound', async () => {
    bc = await startBcSimulator({ tenantId: 't', environment: 'e', validateToken: () => true });
    const response = await get(`${bc.apiRoot}/companies(00000000-0000-0000-0000-000000000001)/vendors`);
    expect(response.body).toContain('Internal_CompanyNotFound');
  });
});
