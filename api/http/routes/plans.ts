import { Router } from 'express';
import { PlanDocumentSchema, SetTargetsRequestSchema } from '../../../core/contract/plan';
import { isCentral, requireCentral, requireOrganisation } from '../../auth/principal';
import { ApiError } from '../../errors';
import { getKfPlan, getOrgPlan, getPlanHistory, importPlanDocument, setOrgTargets } from '../../services/plan-service';
import { principalOf } from '../auth';
import { actorOf, type AppContext } from '../context';
import { issueDetails, parseBody, pathOrganisation, pathYear } from '../validate';

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
      throw new ApiError('VALIDATION_FAILED', 'Plandokumentet innehåller fel. Inget har sparats.', issueDetails(parsed.error.issues));
    }
    if (parsed.data.year !== year) {
      throw new ApiError('VALIDATION_FAILED', `Dokumentet gäller år ${parsed.data.year}, inte ${year}.`, [
        { field: 'year', code: 'YEAR_MISMATCH', message: `year är ${parsed.data.year} men adressen gäller ${year}.` },
      ]);
    }
    await importPlanDocument(db, parsed.data, actorOf(res));
    res.json(await getKfPlan(db, year));
  });

  router.get('/years/:year/plan/history', async (req, res) => {
    res.json(await getPlanHistory(db, { year: pathYear(req.params.year), organisation: null }));
  });

  router.get('/years/:year/organisations/:org/plan', async (req, res) => {
    const org = pathOrganisation(req.params.org);
    requireOrganisation(principalOf(res), org);
    res.json(await getOrgPlan(db, pathYear(req.params.year), org));
  });

  router.get('/years/:year/organisations/:org/plan/history', async (req, res) => {
    const org = pathOrganisation(req.params.org);
    requireOrganisation(principalOf(res), org);
    res.json(await getPlanHistory(db, { year: pathYear(req.params.year), organisation: org }));
  });

  router.put('/years/:year/organisations/:org/targets', async (req, res) => {
    const org = pathOrganisation(req.params.org);
    const principal = principalOf(res);
    requireOrganisation(principal, org);
    const body = parseBody(SetTargetsRequestSchema, req.body);
    res.json(await setOrgTargets(db, pathYear(req.params.year), org, body, actorOf(res), { central: isCentral(principal) }));
  });

  return router;
}
