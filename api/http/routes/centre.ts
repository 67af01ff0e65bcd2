import { Router } from 'express';
import { isCentral, requireCentral } from '../../auth/principal';
import { consolidate, steeringSignals } from '../../services/consolidation-service';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { pathPeriod, pathYear } from '../validate';

export function centreRouter({ db }: AppContext): Router {
  const router = Router();

  router.get('/years/:year/consolidation/:period', async (req, res) => {
    requireCentral(principalOf(res));
    const year = pathYear(req.params.year);
    const period = pathPeriod(req.params.period);
    res.json(await consolidate(db, year, period));
  });

  router.get('/years/:year/steering-signals', async (req, res) => {
    const signals = await steeringSignals(db, pathYear(req.params.year));
    const p = principalOf(res);
    // A controller sees KF's counts and their own organisations'; the centre sees all.
    res.json(isCentral(p) ? signals : { ...signals, organisations: signals.organisations.filter((o) => p.orgs.includes(o.code)) });
  });

  return router;
}
