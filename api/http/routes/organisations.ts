import { Router } from 'express';
import { allOrganisations, me } from '../../services/organisation-service';
import { principalOf } from '../auth';
import type { AppContext } from '../context';

export function organisationsRouter({ db }: AppContext): Router {
  const router = Router();

  router.get('/me', async (_req, res) => {
    res.json(await me(db, principalOf(res)));
  });

  router.get('/organisations', async (_req, res) => {
    res.json(await allOrganisations(db));
  });

  return router;
}
