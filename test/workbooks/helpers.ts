import ExcelJS from 'exceljs';
import request from 'supertest';
import type { TestApi } from '../support/app';
import { XLSX_MIME } from '../../api/workbooks/xlsx-format';

export const YEAR = 2022;
export const reportPath = (org: string, period = 'T1') => `/api/v1/years/${YEAR}/organisations/${org}/reports/${period}`;
export const workbookPath = (org: string, period = 'T1') => `${reportPath(org, period)}/workbook`;

/** supertest keeps binary bodies as a Buffer only when told how. */
function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

export async function download(api: TestApi, token: string, path: string, accept?: string): Promise<request.Response & { body: Buffer }> {
  const req = request(api.app).get(path).auth(token, { type: 'bearer' });
  if (accept) req.set('Accept', accept);
  return (await req.buffer(true).parse(binary)) as request.Response & { body: Buffer };
}

export async function downloadWorkbook(api: TestApi, token: string, path: string): Promise<ExcelJS.Workbook> {
  const res = await download(api, token, path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body.toString()}`);
  return loadXlsx(res.body);
}

export function upload(api: TestApi, token: string, path: string, file: Buffer) {
  return request(api.app).put(path).auth(token, { type: 'bearer' }).set('Content-Type', XLSX_MIME).send(file);
}

export async function loadXlsx(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

export async function xlsxOf(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function getJson(api: TestApi, token: string, path: string) {
  const res = await request(api.app).get(path).auth(token, { type: 'bearer' });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function putJson(api: TestApi, token: string, path: string, body: unknown) {
  const res = await request(api.app)
    .put(path)
    .auth(token, { type: 'bearer' })
    .send(body as object);
  if (res.status !== 200) throw new Error(`PUT ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
