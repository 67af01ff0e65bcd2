import { ApiClientError, attachmentName, createApiClient } from '../../addin/api-client';
import { XLSX_MIME } from '../../api/contract/common';
import { report } from './support/report-fixture';

const ADDRESS = { organisation: 'sdn-farsta', year: 2022, period: 'T1' as const };

function clientAnswering(answer: () => Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const client = createApiClient({
    baseUrl: 'https://tertial.test',
    getToken: async () => 'tok',
    fetch: async (url, init) => {
      calls.push({ url: String(url), init: init! });
      return answer();
    },
  });
  return { client, calls };
}
const json = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

async function failure(p: Promise<unknown>): Promise<ApiClientError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ApiClientError);
  return e as ApiClientError;
}

describe('api client', () => {
  test('PUT carries the token, JSON body and Idempotency-Key; the answer is parsed as a Report', async () => {
    const { client, calls } = clientAnswering(json(200, report(1, 0)));
    const answer = await client.putReport(ADDRESS, { indicators: [{ indicatorId: 101, baseVersion: 1, outcome: '12,5' }] }, 'key-1');
    expect(answer.indicators[0]!.indicatorId).toBe(101);
    expect(calls[0]!.url).toBe('https://tertial.test/api/v1/years/2022/organisations/sdn-farsta/reports/T1');
    expect(calls[0]!.init.method).toBe('PUT');
    expect(calls[0]!.init.headers).toMatchObject({ Authorization: 'Bearer tok', 'Idempotency-Key': 'key-1', 'Content-Type': 'application/json' });
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ indicators: [{ indicatorId: 101, baseVersion: 1, outcome: '12,5' }] });
  });

  test('an error body becomes a typed error with status, code, Swedish message and details', async () => {
    const details = [{ section: 'indicators', index: 0, code: 'STALE', message: 'Raden har ändrats', current: { version: 3 } }];
    const { client } = clientAnswering(json(409, { error: { code: 'CONFLICT', message: '1 rader har ändrats av någon annan.', details } }));
    const e = await failure(client.putReport(ADDRESS, {}, 'k'));
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
    expect([upload.calls[0]!.init.method, (upload.calls[0]!.init.headers as Record<string, string>)['Content-Type'], upload.calls[0]!.init.body]).toEqual(['PUT', XLSX_MIME, bytes]);
  });
});
