import { Router, type Request } from 'express';
import { isCentral, requireCentral } from '../../auth/principal';
import { consolidate, steeringSignals } from '../../services/consolidation-service';
import { consolidationWorkbook } from '../../workbooks/consolidation-workbook';
import { XLSX_MIME } from '../../workbooks/xlsx-format';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { pathPeriod, pathYear } from '../validate';
import { sendXlsx } from './workbooks';

const XLSX_SUFFIX = '.xlsx';

/** `…/consolidation/T1.xlsx`, or `Accept` asking for xlsx rather than JSON (JSON is the default). */
function consolidationRequest(req: Request) {
  const raw = String(req.params.period);
  const byPath = raw.endsWith(XLSX_SUFFIX);
  return {
    period: pathPeriod(byPath ? raw.slice(0, -XLSX_SUFFIX.length) : raw),
    asWorkbook: byPath || req.accepts(['application/json', XLSX_MIME]) === XLSX_MIME,
  };
}

export function centreRouter({ db }: AppContext): Router {
  const router = Router();

  router.get('/years/:year/consolidation/:period', async (req, res) => {
    requireCentral(principalOf(res));
    const year = pathYear(req.params.year);
    const { period, asWorkbook } = consolidationRequest(req);
    const consolidation = await consolidate(db, year, period);
    if (!asWorkbook) {
      res.json(consolidation);
      return;
    }
    sendXlsx(res, await consolidationWorkbook(consolidation, await steeringSignals(db, year), new Date()));
  });

  router.get('/years/:year/steering-signals', async (req, res) => {
    const signals = await steeringSignals(db, pathYear(req.params.year));
    const p = principalOf(res);
    // A controller sees KF's counts and their own organisations'; the centre sees all.
    res.json(isCentral(p) ? signals : { ...signals, organisations: signals.organisations.filter((o) => p.orgs.includes(o.code)) });
  });

  return router;
}
