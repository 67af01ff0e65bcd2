import { Router } from 'express';
import type { Me } from '../../contract/common';
import { isCentral } from '../../auth/principal';
import { principalOf } from '../auth';
import type { AppContext } from '../context';

export function organisationsRouter({ db }: AppContext): Router {
  const router = Router();

  router.get('/me', async (_req, res) => {
    const p = principalOf(res);
    let query = db.selectFrom('organisation').select(['code', 'name', 'kind']).orderBy('name');
    if (!isCentral(p)) query = query.where('code', 'in', p.orgs.length > 0 ? p.orgs : ['']);
    const me: Me = { sub: p.sub, name: p.name, roles: p.roles, organisations: await query.execute() };
    res.json(me);
  });

  router.get('/organisations', async (_req, res) => {
    res.json(await db.selectFrom('organisation').select(['code', 'name', 'kind']).orderBy('kind').orderBy('name').execute());
  });

  return router;
}
