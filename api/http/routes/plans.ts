import { Router } from 'express';
import { PlanDocumentSchema, SetTargetsRequestSchema } from '../../contract/plan';
import { requireCentral, requireOrganisation } from '../../auth/principal';
import { importPlan, PlanReferenceError } from '../../db/plan-import';
import { ApiError } from '../../errors';
import { getKfPlan, getOrgPlan, setOrgTargets } from '../../services/plan-service';
import { principalOf } from '../auth';
import { actorOf, type AppContext } from '../context';
import { parseBody, pathOrganisation, pathYear } from '../validate';

export function plansRouter({ db }: AppContext): Router {
  const router = Router();

  router.get('/years/:year/plan', async (req, res) => {
    res.json(await getKfPlan(db, pathYear(req.params.year)));
  });

  router.put('/years/:year/plan', async (req, res) => {
    requireCentral(principalOf(res));
    const year = pathYear(req.params.year);
    const parsed = PlanDocumentSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new ApiError(
        'VALIDATION_FAILED',
        'Plandokumentet innehåller fel. Inget har sparats.',
        parsed.error.issues.map((i) => ({ field: i.path.join('.'), code: i.code.toUpperCase(), message: i.message })),
      );
    }
    if (parsed.data.year !== year) {
      throw new ApiError('VALIDATION_FAILED', `Dokumentet gäller år ${parsed.data.year}, inte ${year}.`, [
        { field: 'year', code: 'YEAR_MISMATCH', message: `year är ${parsed.data.year} men adressen gäller ${year}.` },
      ]);
    }
    try {
      await importPlan(db, parsed.data);
    } catch (e) {
      if (e instanceof PlanReferenceError) {
        throw new ApiError('VALIDATION_FAILED', 'Plandokumentet hänvisar till något som inte finns. Inget har sparats.', [
          { field: e.path, code: 'UNKNOWN_REFERENCE', message: e.message },
        ]);
      }
      throw e;
    }
    res.json(await getKfPlan(db, year));
  });

  router.get('/years/:year/organisations/:org/plan', async (req, res) => {
    const org = pathOrganisation(req.params.org);
    requireOrganisation(principalOf(res), org);
    res.json(await getOrgPlan(db, pathYear(req.params.year), org));
  });

  router.put('/years/:year/organisations/:org/targets', async (req, res) => {
    const org = pathOrganisation(req.params.org);
    requireOrganisation(principalOf(res), org);
    const body = parseBody(SetTargetsRequestSchema, req.body);
    res.json(await setOrgTargets(db, pathYear(req.params.year), org, body, actorOf(res)));
  });

  return router;
}
