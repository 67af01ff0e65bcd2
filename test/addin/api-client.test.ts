import { ApiClientError, MAX_ATTEMPTS, MAX_RETRY_AFTER_MS, RETRY_DELAYS_MS, attachmentName, createApiClient, retryAfterMs } from '../../addin/api-client';
import { UserFacingError } from '../../addin/errors';
import { XLSX_MIME } from '../../core/contract/common';
import { changes, report } from './support/report-fixture';

const ADDRESS = { organisation: 'sdn-farsta', year: 2022, period: 'T1' as const };

/** A client on a fake fetch; `sleep` records the waits instead of waiting, keys count up. */
function clientAnswering(answer: (call: number, url: string) => Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const waits: number[] = [];
  let keys = 0;
  const client = createApiClient({
    baseUrl: 'https://tertial.test',
    getToken: async () => 'tok',
    fetch: async (url, init) => {
      calls.push({ url: String(url), init: init! });
      return answer(calls.length, String(url));
    },
    newKey: () => `key-${++keys}`,
    sleep: async (ms) => void waits.push(ms),
  });
  const keysSent = () => calls.map((c) => (c.init.headers as Record<string, string>)['Idempotency-Key']);
  return { client, calls, waits, keysSent };
}
const json = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

async function failure(p: Promise<unknown>): Promise<ApiClientError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ApiClientError);
  return e as ApiClientError;
}

/** The short answer of a write of indicator 101. */
const WRITTEN = changes({ changedBy: 'Anna', changedAt: '2022-05-02T08:00:00Z', indicators: [{ indicatorId: 101, version: 2, status: 'ej' }] });

describe('api client', () => {
  test('PUT carries the token, JSON body and an Idempotency-Key of its own; it asks for the short answer and parses it as ReportChanges', async () => {
    const { client, calls } = clientAnswering(json(200, WRITTEN));
    const answer = await client.putReport(ADDRESS, { indicators: [{ indicatorId: 101, baseVersion: 1, outcome: '12,5' }] });
    expect(answer).toEqual(WRITTEN);
    expect(calls[0]!.url).toBe('https://tertial.test/api/v1/years/2022/organisations/sdn-farsta/reports/T1?answer=changes');
    expect(calls[0]!.init.method).toBe('PUT');
    expect(calls[0]!.init.headers).toMatchObject({ Authorization: 'Bearer tok', 'Idempotency-Key': 'key-1', 'Content-Type': 'application/json' });
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ indicators: [{ indicatorId: 101, baseVersion: 1, outcome: '12,5' }] });
  });

  test('a write answered with the whole report (an API without ?answer=changes) is BAD_RESPONSE, not taken for the short answer', async () => {
    expect((await failure(clientAnswering(json(200, report(1, 0))).client.putReport(ADDRESS, {}))).code).toBe('BAD_RESPONSE');
  });

  test('an error body becomes a typed error with status, code, Swedish message and details', async () => {
    const details = [{ section: 'indicators', index: 0, code: 'STALE', message: 'Raden har ändrats', current: { version: 3 } }];
    const { client } = clientAnswering(json(409, { error: { code: 'CONFLICT', message: '1 rader har ändrats av någon annan.', details } }));
    const e = await failure(client.putReport(ADDRESS, {}));
    expect([e.status, e.code, e.message]).toEqual([409, 'CONFLICT', '1 rader har ändrats av någon annan.']);
    expect(e.details).toEqual(details);
  });

  test('no answer at all is NETWORK', async () => {
    const { client } = clientAnswering(() => Promise.reject(new TypeError('Failed to fetch')));
    const e = await failure(client.me());
    expect([e.status, e.code]).toEqual([0, 'NETWORK']);
    expect(e.message).toMatch(/^Ingen kontakt med Tertial/);
  });

  test('a proxy page instead of JSON is UNAVAILABLE; a 200 in the wrong shape is BAD_RESPONSE', async () => {
    expect((await failure(clientAnswering(async () => new Response('<html>Bad gateway</html>', { status: 502 })).client.me())).code).toBe('UNAVAILABLE');
    expect((await failure(clientAnswering(json(200, { hello: 'world' })).client.getReport(ADDRESS))).code).toBe('BAD_RESPONSE');
  });

  test('submit is a POST to …/submit', async () => {
    const { client, calls } = clientAnswering(json(200, report(0, 0, { state: 'submitted' })));
    expect((await client.submitReport(ADDRESS)).state).toBe('submitted');
    expect([calls[0]!.init.method, calls[0]!.url.endsWith('/reports/T1/submit')]).toEqual(['POST', true]);
  });

  test('the workbook: downloaded as bytes under the name Content-Disposition gives; uploaded as xlsx', async () => {
    const bytes = new Uint8Array([80, 75, 3, 4]);
    const { client, calls } = clientAnswering(async () => new Response(bytes, { status: 200, headers: { 'Content-Disposition': 'attachment; filename=T1-2022-sdn-farsta.xlsx' } }));
    expect(await client.downloadWorkbook(ADDRESS)).toEqual({ fileName: 'T1-2022-sdn-farsta.xlsx', bytes });
    expect(calls[0]!.url.endsWith('/reports/T1/workbook')).toBe(true);
    expect(attachmentName(`attachment; filename="J?rva.xlsx"; filename*=UTF-8''J%C3%A4rva.xlsx`, 'x')).toBe('Järva.xlsx');
    expect(attachmentName(null, 'sdn-farsta-T1-2022.xlsx')).toBe('sdn-farsta-T1-2022.xlsx');
    const upload = clientAnswering(json(200, report(1, 0)));
    await upload.client.uploadWorkbook(ADDRESS, bytes);
    expect([upload.calls[0]!.init.method, (upload.calls[0]!.init.headers as Record<string, string>)['Content-Type'], upload.calls[0]!.init.body]).toEqual([
      'PUT',
      XLSX_MIME,
      bytes,
    ]);
  });
});

describe('retries and idempotency keys', () => {
  const BODY = { indicators: [{ indicatorId: 101, baseVersion: 1, forecast: '55' }] };
  const noAnswer = () => Promise.reject(new TypeError('Failed to fetch'));
  /** Fails (no answer) on the calls listed, answers 200 otherwise (a report write with its short answer, anything else with the report). */
  const failingOn =
    (...calls: number[]) =>
    (call: number, url: string) =>
      calls.includes(call) ? noAnswer() : json(200, url.endsWith('?answer=changes') ? WRITTEN : report(1, 0))();

  test('its errors are of the user-facing family (shown as they are)', async () => {
    expect(await failure(clientAnswering(noAnswer).client.me())).toBeInstanceOf(UserFacingError);
  });

  test('a PUT that got no answer is sent again with the same key, after the backoff', async () => {
    const { client, calls, waits, keysSent } = clientAnswering(failingOn(1, 2));
    expect((await client.putReport(ADDRESS, BODY)).indicators[0]!.indicatorId).toBe(101);
    expect(calls).toHaveLength(3);
    expect(keysSent()).toEqual(['key-1', 'key-1', 'key-1']);
    expect(waits).toEqual([...RETRY_DELAYS_MS]);
    expect(calls.map((c) => c.init.body)).toEqual(Array(3).fill(JSON.stringify(BODY)));
  });

  test('bounded: after MAX_ATTEMPTS without an answer it is NETWORK; sending the same body again reuses the key', async () => {
    const { client, calls, keysSent } = clientAnswering(failingOn(1, 2, 3));
    expect((await failure(client.putReport(ADDRESS, BODY))).code).toBe('NETWORK');
    expect(calls).toHaveLength(MAX_ATTEMPTS);
    await client.putReport(ADDRESS, structuredClone(BODY));
    expect(keysSent()).toEqual(['key-1', 'key-1', 'key-1', 'key-1']);
  });

  test('the key is kept only while that write has no answer: another body, another report or an answer gets a new key', async () => {
    const unanswered = clientAnswering(failingOn(1, 2, 3));
    await failure(unanswered.client.putReport(ADDRESS, BODY));
    await unanswered.client.putReport(ADDRESS, { indicators: [{ indicatorId: 101, baseVersion: 1, forecast: '56' }] });
    expect(unanswered.keysSent()[3]).toBe('key-2');

    const elsewhere = clientAnswering(failingOn(1, 2, 3));
    await failure(elsewhere.client.putReport(ADDRESS, BODY));
    await elsewhere.client.putReport({ ...ADDRESS, period: 'T2' }, BODY);
    expect(elsewhere.keysSent()[3]).toBe('key-2');

    const answered = clientAnswering(json(422, { error: { code: 'VALIDATION_FAILED', message: '1 fel i sändningen. Inget har sparats.', details: [] } }));
    await failure(answered.client.putReport(ADDRESS, BODY));
    await failure(answered.client.putReport(ADDRESS, BODY));
    expect(answered.keysSent()).toEqual(['key-1', 'key-2']);

    const succeeded = clientAnswering(json(200, WRITTEN));
    await succeeded.client.putReport(ADDRESS, BODY);
    await succeeded.client.putReport(ADDRESS, BODY);
    expect(succeeded.keysSent()).toEqual(['key-1', 'key-2']);
  });

  test('a 502/503/504 is retried with the same key; Retry-After is honoured when longer than the backoff', async () => {
    const unavailable = (status: number, retryAfter?: string) =>
      new Response(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'Databasen svarar inte just nu.' } }), {
        status,
        headers: { 'Content-Type': 'application/json', ...(retryAfter ? { 'Retry-After': retryAfter } : {}) },
      });
    const answers = [unavailable(503, '7'), unavailable(504), json(200, WRITTEN)()];
    const { client, waits, keysSent } = clientAnswering(async (call) => answers[call - 1]!);
    await client.putReport(ADDRESS, BODY);
    expect(keysSent()).toEqual(['key-1', 'key-1', 'key-1']);
    expect(waits).toEqual([7_000, RETRY_DELAYS_MS[1]]);
  });

  test('a Retry-After beyond MAX_RETRY_AFTER_MS is not waited for: the error goes to the user at once', async () => {
    const { client, calls, waits } = clientAnswering(
      async () =>
        new Response(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'Tertial underhålls. Försök igen om en timme.' } }), {
          status: 503,
          headers: { 'Retry-After': String(MAX_RETRY_AFTER_MS / 1000 + 1) },
        }),
    );
    const e = await failure(client.getReport(ADDRESS));
    expect([e.code, e.message]).toEqual(['UNAVAILABLE', 'Tertial underhålls. Försök igen om en timme.']);
    expect([calls.length, waits]).toEqual([1, []]);
  });

  test('answers of the API itself are not retried (409, 422, 500)', async () => {
    for (const [status, code] of [
      [409, 'CONFLICT'],
      [422, 'VALIDATION_FAILED'],
      [500, 'INTERNAL'],
    ] as const) {
      const { client, calls } = clientAnswering(json(status, { error: { code, message: 'x' } }));
      expect((await failure(client.putReport(ADDRESS, BODY))).code).toBe(code);
      expect(calls).toHaveLength(1);
    }
  });

  test('reads are retried likewise, without a key', async () => {
    const { client, calls, keysSent } = clientAnswering(failingOn(1));
    expect((await client.getReport(ADDRESS)).indicators).toHaveLength(1);
    expect(calls.map((c) => c.init.method)).toEqual(['GET', 'GET']);
    expect(keysSent()).toEqual([undefined, undefined]);
  });

  test('submit has no key on the API, so it is sent once', async () => {
    const { client, calls } = clientAnswering(noAnswer);
    expect((await failure(client.submitReport(ADDRESS))).code).toBe('NETWORK');
    expect(calls).toHaveLength(1);
  });

  test('a workbook upload is a keyed write too: retried with one key, the same bytes again reuse it', async () => {
    const bytes = new Uint8Array([80, 75, 3, 4]);
    const { client, keysSent } = clientAnswering(failingOn(1, 2, 3));
    await failure(client.uploadWorkbook(ADDRESS, bytes));
    await client.uploadWorkbook(ADDRESS, new Uint8Array(bytes));
    await client.uploadWorkbook(ADDRESS, new Uint8Array([80, 75, 3, 5]));
    expect(keysSent()).toEqual(['key-1', 'key-1', 'key-1', 'key-1', 'key-2']);
  });

  test('Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2022-05-02T08:00:00Z');
    expect(retryAfterMs('5', now)).toBe(5_000);
    expect(retryAfterMs('Mon, 02 May 2022 08:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 02 May 2022 07:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});
