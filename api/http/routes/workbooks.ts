import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { ApiError } from '../../errors';
import { getReport } from '../../services/report-service';
import { importReportWorkbook } from '../../workbooks/import-report-workbook';
import { reportWorkbook } from '../../workbooks/report-workbook';
import { XLSX_MIME } from '../../workbooks/xlsx-format';
import { actorOf, type AppContext } from '../context';
import { idempotencyKey, reportAddress } from './reports';

export const WORKBOOK_BODY_LIMIT = '10mb';
const WORKBOOK = '/years/:year/organisations/:org/reports/:period/workbook';

export function sendXlsx(res: Response, file: { buffer: Buffer; fileName: string }): void {
  res.type(XLSX_MIME).attachment(file.fileName).send(file.buffer);
}

/** The access check before the body is read, so that nobody else makes us buffer 10 MB. */
const checkAccess: RequestHandler = (req, res, next) => {
  reportAddress(req, res);
  next();
};

const readWorkbookBody = express.raw({ type: [XLSX_MIME, 'application/octet-stream'], limit: WORKBOOK_BODY_LIMIT });

const tooLargeWorkbook: ErrorRequestHandler = (err, _req, _res, next) => {
  const tooLarge = (err as { type?: string } | null)?.type === 'entity.too.large';
  next(tooLarge ? new ApiError('TOO_LARGE', `Arbetsboken är större än ${WORKBOOK_BODY_LIMIT.toUpperCase()}. Ta bort inklistrade bilder och extra blad och försök igen.`) : err);
};

/** The report as an xlsx workbook to fill in offline, and the filled workbook uploaded again. */
export function workbookRouter({ db }: AppContext): Router {
  const router = Router();

  router.get(WORKBOOK, async (req, res) => {
    const report = await getReport(db, reportAddress(req, res));
    sendXlsx(res, await reportWorkbook(report, new Date()));
  });

  router.put(WORKBOOK, checkAccess, readWorkbookBody, tooLargeWorkbook, async (req: Request, res: Response) => {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new ApiError('MALFORMED', `Skicka den ifyllda arbetsboken som ${XLSX_MIME}.`);
    }
    const outcome = await importReportWorkbook(db, reportAddress(req, res), req.body, actorOf(res), { idempotencyKey: idempotencyKey(req) });
    if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.json(outcome.report);
  });

  return router;
}
