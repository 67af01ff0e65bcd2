/**
 * Uppdrag (`commission`): given by KF or KS in a year to one responsible organisation, with any
 * number taking part; identified by code and year given; running until reported back.
 */
import { sql, type Kysely } from 'kysely';
import { compareCodes } from '../../core/domain/codes';
import type { CommissionGiver, Database, OrganisationKind } from './schema';
import { reportedBefore } from './followup-queries';

type Db = Kysely<Database>;

export interface CommissionValues {
  code: string;
  yearGiven: number;
  givenBy: CommissionGiver;
  title: string;
  deadline: string | null;
  responsible: string;
  participants: readonly string[];
}

/** Creates or updates an uppdrag (matched by code and year given) and sets who takes part in it. */
export async function upsertCommission(db: Db, c: CommissionValues): Promise<number> {
  const values = { title: c.title, given_by: c.givenBy, deadline: c.deadline, responsible_organisation_code: c.responsible };
  const { id } = await db
    .insertInto('commission')
    .values({ code: c.code, year_given: c.yearGiven, ...values })
    .onConflict((oc) => oc.columns(['code', 'year_given']).doUpdateSet(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  // Taking part carries no results: the list is replaced as the document states it.
  let remove = db.deleteFrom('commission_participant').where('commission_id', '=', id);
  if (c.participants.length > 0) remove = remove.where('organisation_code', 'not in', c.participants);
  await remove.execute();
  if (c.participants.length > 0) {
    await db
      .insertInto('commission_participant')
      .values(c.participants.map((organisation_code) => ({ commission_id: id, organisation_code })))
      .onConflict((oc) => oc.columns(['commission_id', 'organisation_code']).doNothing())
      .execute();
  }
  return id;
}

export interface RunningCommission {
  id: number;
  code: string;
  title: string;
  givenBy: CommissionGiver;
  yearGiven: number;
  deadline: string | null;
  responsible: { code: string; name: string; kind: OrganisationKind };
  participants: { code: string; name: string }[];
}

/**
 * The uppdrag running in a year: given in it or earlier and not reported back in an earlier
 * year; with `organisation`, only those it is responsible for or takes part in.
 */
export async function commissionsRunningIn(db: Db, year: number, organisation?: string): Promise<RunningCommission[]> {
  let query = db
    .selectFrom('commission as c')
    .innerJoin('organisation as o', 'o.code', 'c.responsible_organisation_code')
    .select([
      'c.id',
      'c.code',
      'c.title',
      'c.given_by',
      'c.year_given',
      sql<string | null>`c.deadline::text`.as('deadline'),
      'o.code as responsible_code',
      'o.name as responsible_name',
      'o.kind as responsible_kind',
      sql<{ code: string; name: string }[]>`coalesce((
        select json_agg(json_build_object('code', po.code, 'name', po.name))
        from commission_participant p join organisation po on po.code = p.organisation_code
        where p.commission_id = c.id), '[]'::json)`.as('participants'),
    ])
    .where('c.year_given', '<=', year)
    .where((eb) => eb.not(reportedBefore(eb.ref('c.id'), year)));
  if (organisation !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('c.responsible_organisation_code', '=', organisation),
        eb.exists(eb.selectFrom('commission_participant as p').select('p.commission_id').whereRef('p.commission_id', '=', 'c.id').where('p.organisation_code', '=', organisation)),
      ]),
    );
  }
  const rows = await query.execute();
  return rows
    .map((r) => ({
      id: r.id,
      code: r.code,
      title: r.title,
      givenBy: r.given_by,
      yearGiven: r.year_given,
      deadline: r.deadline,
      responsible: { code: r.responsible_code, name: r.responsible_name, kind: r.responsible_kind },
      participants: (typeof r.participants === 'string' ? (JSON.parse(r.participants) as RunningCommission['participants']) : r.participants).sort((a, b) =>
        compareCodes(a.name, b.name),
      ),
    }))
    .sort((a, b) => a.yearGiven - b.yearGiven || compareCodes(a.code, b.code));
}
