import net from 'node:net';
import { startEmbeddedApi } from './embedded-api';

/** Node checks request and header timeouts on this interval (http.Server connectionsCheckingInterval default). */
const CHECK_INTERVAL_MS = 30_000;

interface SlowClient {
  closedAfterMs: Promise<number>;
  received: () => string;
  stop(): void;
}

/** A raw connection that sends `head` at once and then one byte of `trickle` every half second. */
function slowClient(port: number, head: string, trickle: string): SlowClient {
  const started = Date.now();
  const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
  let received = '';
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < trickle.length && socket.writable) socket.write(trickle[sent++]!);
  }, 500);
  socket.on('data', (d) => (received += d.toString()));
  socket.on('error', () => undefined);
  const closedAfterMs = new Promise<number>((resolve) =>
    socket.once('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    }),
  );
  return { closedAfterMs, received: () => received, stop: () => socket.destroy() };
}

describe('a slow client', () => {
  let api: Awaited<ReturnType<typeof startEmbeddedApi>>;
  beforeAll(async () => {
    api = await startEmbeddedApi();
  }, 120_000);
  afterAll(() => api?.close(), 60_000);

  test('does not stall others, and the server closes it on its timeouts', async () => {
    const { server } = api.running;
    expect(server.headersTimeout).toBeGreaterThan(0);
    expect(server.requestTimeout).toBeGreaterThan(server.headersTimeout);
    const port = (server.address() as net.AddressInfo).port;
    const token = await api.controllerToken('sdn-farsta');
    const path = '/api/v1/years/2022/organisations/sdn-farsta/reports/T2';

    // One never finishes its headers; one finishes them and trickles a body it never completes.
    const neverHeaders = slowClient(port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\n`, 'X-Slow: ' + 'a'.repeat(1000));
    const neverBody = slowClient(
      port,
      `PUT ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`,
      '{"indicators":[' + ' '.repeat(1000),
    );
    try {
      for (let n = 0; n < 20; n++) {
        const started = Date.now();
        const res = await fetch(`${api.running.url}${path}`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        expect(Date.now() - started).toBeLessThan(2_000);
      }
      const [headersClosed, bodyClosed] = await Promise.all([neverHeaders.closedAfterMs, neverBody.closedAfterMs]);
      expect(headersClosed).toBeLessThan(server.headersTimeout + CHECK_INTERVAL_MS + 5_000);
      expect(bodyClosed).toBeLessThan(server.requestTimeout + CHECK_INTERVAL_MS + 5_000);
      expect(neverBody.received()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      neverHeaders.stop();
      neverBody.stop();
    }
  }, 150_000);
});
