import { sql, type Kysely } from 'kysely';
import { byCode } from '../domain/codes';
import { targetsInForce, type Assessment, type PeriodCode } from '../domain/rules';
import type { Database, Direction, Frequency, OrganisationKind } from './schema';

type Db = Kysely<Database>;

export const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
export const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

export interface ReportScope {
  organisation: { code: string; name: string; kind: OrganisationKind };
  year: number;
  period: PeriodCode;
  periodState: 'open' | 'locked';
  deadline: string | null;
}

/** The organisation and period a report belongs to, or which of them is unknown. */
export async function findReportScope(
  db: Db,
  year: number,
  organisationCode: string,
  period: PeriodCode,
): Promise<ReportScope | 'unknown-organisation' | 'unknown-period'> {
  const organisation = await db
    .selectFrom('organisation')
    .select(['code', 'name', 'kind'])
    .where('code', '=', organisationCode)
    .executeTakeFirst();
  if (!organisation) return 'unknown-organisation';
  const p = await db
    .selectFrom('period')
    .select(['state', 'deadline'])
    .where('year', '=', year)
    .where('code', '=', period)
    .executeTakeFirst();
  if (!p) return 'unknown-period';
  return { organisation, year, period, periodState: p.state, deadline: iso(p.deadline) };
}

/**
 * Makes sure the report and a row for every indicator and goal it covers exist (version 0),
 * so that every write is an update of a known row with a known version.
 */
export async function ensureReport(db: Db, scope: ReportScope): Promise<number> {
  const { year, period } = scope;
  const org = scope.organisation.code;
  await db
    .insertInto('report')
    .values({ year, period, organisation_code: org })
    .onConflict((oc) => oc.columns(['year', 'period', 'organisation_code']).doNothing())
    .execute();
  const id = (await findReportId(db, scope))!;
  await db
    .insertInto('indicator_result')
    .columns(['report_id', 'indicator_id'])
    .expression(
      db
        .selectFrom('org_indicator as oi')
        .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
        .select([sql.lit(id).as('report_id'), 'i.id'])
        .where('oi.organisation_code', '=', org)
        .where('i.year', '=', year),
    )
    .onConflict((oc) => oc.columns(['report_id', 'indicator_id']).doNothing())
    .execute();
  await db
    .insertInto('goal_assessment')
    .columns(['report_id', 'org_goal_id'])
    .expression(
      db
        .selectFrom('org_goal')
        .select([sql.lit(id).as('report_id'), 'id'])
        .where('organisation_code', '=', org)
        .where('year', '=', year),
    )
    .onConflict((oc) => oc.columns(['report_id', 'org_goal_id']).doNothing())
    .execute();
  return id;
}

export async function findReportId(db: Db, scope: ReportScope): Promise<number | undefined> {
  const row = await db
    .selectFrom('report')
    .select('id')
    .where('year', '=', scope.year)
    .where('period', '=', scope.period)
    .where('organisation_code', '=', scope.organisation.code)
    .executeTakeFirst();
  return row?.id;
}

export interface ReportHead {
  state: 'open' | 'submitted';
  submittedAt: string | null;
  submittedBy: string | null;
}

/** Takes the report's row lock: every write to one report runs one at a time. */
export async function lockReport(db: Db, reportId: number): Promise<ReportHead> {
  const r = await db
    .selectFrom('report')
    .select(['state', 'submitted_at', 'submitted_by'])
    .where('id', '=', reportId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { state: r.state, submittedAt: iso(r.submitted_at), submittedBy: r.submitted_by };
}

export async function readReportHead(db: Db, reportId: number): Promise<ReportHead> {
  const r = await db
    .selectFrom('report')
    .select(['state', 'submitted_at', 'submitted_by'])
    .where('id', '=', reportId)
    .executeTakeFirstOrThrow();
  return { state: r.state, submittedAt: iso(r.submitted_at), submittedBy: r.submitted_by };
}

export interface IndicatorResultRow {
  indicatorId: number;
  code: string;
  title: string;
  unit: string;
  direction: Direction;
  tolerance: number | null;
  frequency: Frequency;
  kfTarget: number | null;
  orgTarget: number | null;
  annualTarget: number | null;
  partialThresholdPercent: number;
  kfGoalId: number | null;
  orgGoalId: number | null;
  kfGoalCode: string | null;
  kfGoalTitle: string | null;
  outcome: number | null;
  forecast: number | null;
  comment: string | null;
  status: Assessment | null;
  version: number;
  changedBy: string | null;
  changedAt: string | null;
}


export async function loadIndicatorResults(db: Db, reportId: number): Promise<IndicatorResultRow[]> {
  const rows = await db
    .selectFrom('indicator_result as r')
    .innerJoin('report as rep', 'rep.id', 'r.report_id')
    .innerJoin('indicator as i', 'i.id', 'r.indicator_id')
    .innerJoin('budget_year as y', 'y.year', 'i.year')
    .leftJoin('org_indicator as oi', (j) =>
      j.onRef('oi.indicator_id', '=', 'i.id').onRef('oi.organisation_code', '=', 'rep.organisation_code'),
    )
    .leftJoin('kf_goal as g', 'g.id', 'i.kf_goal_id')
    .select([
      'i.id as indicatorId',
      'i.code',
      'i.title',
      'i.unit',
      'i.direction',
      'i.tolerance',
      'i.frequency',
      'i.kf_annual_target',
      'oi.annual_target as org_target',
      sql<string>`coalesce(i.partial_threshold_percent, y.partial_threshold_percent)`.as('threshold'),
      'i.kf_goal_id',
      'i.org_goal_id',
      'g.code as kf_goal_code',
      'g.title as kf_goal_title',
      'r.outcome',
      'r.forecast',
      'r.comment',
      'r.status',
      'r.version',
      sql<string | null>`coalesce(r.changed_by_name, r.changed_by)`.as('changed_by'),
      'r.changed_at',
    ])
    .where('r.report_id', '=', reportId)
    .execute();
  return rows
    .map((r) => ({
      indicatorId: r.indicatorId,
      code: r.code,
      title: r.title,
      unit: r.unit,
      direction: r.direction,
      tolerance: num(r.tolerance),
      frequency: r.frequency,
      ...targetsInForce(num(r.kf_annual_target), num(r.org_target)),
      partialThresholdPercent: Number(r.threshold),
      kfGoalId: r.kf_goal_id,
      orgGoalId: r.org_goal_id,
      kfGoalCode: r.kf_goal_code,
      kfGoalTitle: r.kf_goal_title,
      outcome: num(r.outcome),
      forecast: num(r.forecast),
      comment: r.comment,
      status: r.status,
      version: r.version,
      changedBy: r.changed_by,
      changedAt: iso(r.changed_at),
    }))
    .sort(byCode);
}

export interface GoalAssessmentRow {
  goalId: number;
  code: string;
  title: string;
  kfGoalId: number;
  kfGoalCode: string;
  kfGoalTitle: string;
  suggested: Assessment | null;
  assessment: Assessment | null;
  motivation: string | null;
  analysis: string | null;
  version: number;
  changedBy: string | null;
  changedAt: string | null;
}

export async function loadGoalAssessments(db: Db, reportId: number): Promise<GoalAssessmentRow[]> {
  const rows = await db
    .selectFrom('goal_assessment as a')
    .innerJoin('org_goal as og', 'og.id', 'a.org_goal_id')
    .innerJoin('kf_goal as g', 'g.id', 'og.kf_goal_id')
    .select([
      'og.id as goalId',
      'og.code',
      'og.title',
      'g.id as kfGoalId',
      'g.code as kfGoalCode',
      'g.title as kfGoalTitle',
      'a.suggested',
      'a.assessment',
      'a.motivation',
      'a.analysis',
      'a.version',
      sql<string | null>`coalesce(a.changed_by_name, a.changed_by)`.as('changedBy'),
      'a.changed_at',
    ])
    .where('a.report_id', '=', reportId)
    .execute();
  return rows.map(({ changed_at, ...r }) => ({ ...r, changedAt: iso(changed_at) })).sort(byCode);
}

export interface Actor {
  sub: string;
  name: string;
  requestId: string | null;
}

interface VersionedTable {
  table: 'indicator_result' | 'goal_assessment';
  key: 'indicator_id' | 'org_goal_id';
  entity: 'indicator' | 'goal';
  /** What the user writes: compared, versioned and kept in the history. */
  fields: ReadonlyArray<{ column: string; type: 'numeric' | 'text' }>;
  /** Written along, derived from the fields (a computed status): no history of its own. */
  derived: ReadonlyArray<{ column: string; type: 'text' }>;
}

interface VersionedRow {
  id: number;
  baseVersion: number;
  values: Record<string, number | string | null>;
}

/**
 * Writes many rows in one statement: arrays through unnest, each row only if its version is
 * still the base version, and one history row per changed field appended by the same
 * statement (old values from the statement's snapshot). Returns the rows written, as stored.
 */
async function updateVersioned<R>(db: Db, spec: VersionedTable, reportId: number, rows: VersionedRow[], actor: Actor) {
  const columns = [...spec.fields, ...spec.derived];
  const key = sql.id(spec.key);
  const arrays = sql.join([
    sql`${rows.map((r) => r.id)}::int[]`,
    sql`${rows.map((r) => r.baseVersion)}::int[]`,
    ...columns.map((c) => sql`${rows.map((r) => r.values[c.column] ?? null)}::${sql.raw(c.type)}[]`),
  ]);
  const names = sql.join([sql.id('id'), sql.id('base_version'), ...columns.map((c) => sql.id(c.column))]);
  const sets = sql.join(columns.map((c) => sql`${sql.id(c.column)} = v.${sql.id(c.column)}`));
  const returned = sql.join(spec.fields.map((f) => sql`t.${sql.id(f.column)}`));
  const changes = sql.join(
    spec.fields.map(
      (f) =>
        sql`(${sql.lit(f.column)}, o.${sql.id(f.column)}::text, u.${sql.id(f.column)}::text, o.${sql.id(f.column)} is distinct from u.${sql.id(f.column)})`,
    ),
  );
  const result = await sql<R>`
    with v as (select * from unnest(${arrays}) as v(${names})),
    o as (select t.* from ${sql.table(spec.table)} t join v on t.${key} = v.id where t.report_id = ${reportId}),
    u as (
      update ${sql.table(spec.table)} as t set ${sets},
        version = t.version + 1, changed_by = ${actor.sub}, changed_by_name = ${actor.name}, changed_at = now()
      from v where t.report_id = ${reportId} and t.${key} = v.id and t.version = v.base_version
      returning t.${key} as id, ${returned}, t.version, coalesce(t.changed_by_name, t.changed_by) as changed_by, t.changed_at
    ),
    h as (
      insert into change_history (report_id, entity, entity_id, field, old_value, new_value, changed_by, changed_by_name, request_id)
      select ${reportId}, ${sql.lit(spec.entity)}, u.id, f.field, f.old_value, f.new_value, ${actor.sub}, ${actor.name}, ${actor.requestId}
      from u join o on o.${key} = u.id
      cross join lateral (values ${changes}) as f(field, old_value, new_value, changed)
      where f.changed
    )
    select * from u`.execute(db);
  return result.rows;
}

const INDICATOR_TABLE: VersionedTable = {
  table: 'indicator_result',
  key: 'indicator_id',
  entity: 'indicator',
  fields: [
    { column: 'outcome', type: 'numeric' },
    { column: 'forecast', type: 'numeric' },
    { column: 'comment', type: 'text' },
  ],
  derived: [{ column: 'status', type: 'text' }],
};

const GOAL_TABLE: VersionedTable = {
  table: 'goal_assessment',
  key: 'org_goal_id',
  entity: 'goal',
  fields: [
    { column: 'assessment', type: 'text' },
    { column: 'motivation', type: 'text' },
    { column: 'analysis', type: 'text' },
  ],
  derived: [],
};

interface Stamp {
  id: number;
  version: number;
  changed_by: string | null;
  changed_at: Date | string | null;
}

export interface IndicatorValues {
  indicatorId: number;
  baseVersion: number;
  outcome: number | null;
  forecast: number | null;
  comment: string | null;
  status: Assessment | null;
}

export type StoredIndicatorValues = Pick<IndicatorResultRow, 'indicatorId' | 'outcome' | 'forecast' | 'comment' | 'status' | 'version' | 'changedBy' | 'changedAt'>;

export async function updateIndicatorValues(db: Db, reportId: number, rows: IndicatorValues[], actor: Actor): Promise<StoredIndicatorValues[]> {
  if (rows.length === 0) return [];
  const written = await updateVersioned<Stamp & { outcome: string | null; forecast: string | null; comment: string | null }>(
    db,
    INDICATOR_TABLE,
    reportId,
    rows.map(({ indicatorId, baseVersion, ...values }) => ({ id: indicatorId, baseVersion, values })),
    actor,
  );
  const statusOf = new Map(rows.map((r) => [r.indicatorId, r.status]));
  return written.map((r) => ({
    indicatorId: r.id,
    outcome: num(r.outcome),
    forecast: num(r.forecast),
    comment: r.comment,
    status: statusOf.get(r.id) ?? null,
    version: r.version,
    changedBy: r.changed_by,
    changedAt: iso(r.changed_at),
  }));
}

export interface GoalValues {
  goalId: number;
  baseVersion: number;
  assessment: Assessment | null;
  motivation: string | null;
  analysis: string | null;
}

export type StoredGoalValues = Pick<GoalAssessmentRow, 'goalId' | 'assessment' | 'motivation' | 'analysis' | 'version' | 'changedBy' | 'changedAt'>;

export async function updateGoalValues(db: Db, reportId: number, rows: GoalValues[], actor: Actor): Promise<StoredGoalValues[]> {
  if (rows.length === 0) return [];
  const written = await updateVersioned<Stamp & { assessment: Assessment | null; motivation: string | null; analysis: string | null }>(
    db,
    GOAL_TABLE,
    reportId,
    rows.map(({ goalId, baseVersion, ...values }) => ({ id: goalId, baseVersion, values })),
    actor,
  );
  return written.map((r) => ({
    goalId: r.id,
    assessment: r.assessment,
    motivation: r.motivation,
    analysis: r.analysis,
    version: r.version,
    changedBy: r.changed_by,
    changedAt: iso(r.changed_at),
  }));
}

/** Derived values (computed status, suggested assessment): no new version, no history. */
export async function updateStatuses(db: Db, reportId: number, rows: { indicatorId: number; status: Assessment | null }[]) {
  if (rows.length === 0) return;
  await sql`
    update indicator_result as r set status = v.status
    from unnest(${rows.map((r) => r.indicatorId)}::int[], ${rows.map((r) => r.status)}::text[]) as v(indicator_id, status)
    where r.report_id = ${reportId} and r.indicator_id = v.indicator_id`.execute(db);
}

export async function updateSuggestions(db: Db, reportId: number, rows: { goalId: number; suggested: Assessment | null }[]) {
  if (rows.length === 0) return;
  await sql`
    update goal_assessment as a set suggested = v.suggested
    from unnest(${rows.map((r) => r.goalId)}::int[], ${rows.map((r) => r.suggested)}::text[]) as v(goal_id, suggested)
    where a.report_id = ${reportId} and a.org_goal_id = v.goal_id`.execute(db);
}

export interface HistoryEntry {
  entity: 'indicator' | 'goal' | 'report';
  entityId: number | null;
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

export async function appendHistory(db: Db, reportId: number, entries: HistoryEntry[], actor: Actor): Promise<void> {
  if (entries.length === 0) return;
  await sql`
    insert into change_history (report_id, entity, entity_id, field, old_value, new_value, changed_by, changed_by_name, request_id)
    select ${reportId}, v.entity, v.entity_id, v.field, v.old_value, v.new_value, ${actor.sub}, ${actor.name}, ${actor.requestId}
    from unnest(
      ${entries.map((e) => e.entity)}::text[], ${entries.map((e) => e.entityId)}::int[], ${entries.map((e) => e.field)}::text[],
      ${entries.map((e) => e.oldValue)}::text[], ${entries.map((e) => e.newValue)}::text[]
    ) as v(entity, entity_id, field, old_value, new_value)`.execute(db);
}

export async function setReportState(db: Db, reportId: number, state: 'open' | 'submitted', actor: Actor): Promise<void> {
  await db
    .updateTable('report')
    .set(
      state === 'submitted'
        ? { state, submitted_at: sql<Date>`now()`, submitted_by: actor.name }
        : { state, submitted_at: null, submitted_by: null },
    )
    .where('id', '=', reportId)
    .execute();
}

export async function loadHistory(db: Db, reportId: number) {
  const rows = await db
    .selectFrom('change_history as h')
    .leftJoin('indicator as i', (j) => j.onRef('i.id', '=', 'h.entity_id').on('h.entity', '=', 'indicator'))
    .leftJoin('org_goal as og', (j) => j.onRef('og.id', '=', 'h.entity_id').on('h.entity', '=', 'goal'))
    .select([
      'h.changed_at',
      'h.changed_by',
      'h.changed_by_name',
      'h.entity',
      'h.entity_id',
      sql<string | null>`coalesce(i.code, og.code)`.as('entity_code'),
      'h.field',
      'h.old_value',
      'h.new_value',
      'h.request_id',
    ])
    .where('h.report_id', '=', reportId)
    .orderBy('h.id')
    .execute();
  return rows.map((r) => ({
    at: new Date(r.changed_at).toISOString(),
    by: r.changed_by,
    byName: r.changed_by_name,
    entity: r.entity,
    entityId: r.entity_id,
    entityCode: r.entity_code,
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
    requestId: r.request_id,
  }));
}

export async function findIdempotentResponse(db: Db, subject: string, key: string) {
  return db
    .selectFrom('idempotency_key')
    .select(['request_hash', 'status', 'response'])
    .where('subject', '=', subject)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function saveIdempotentResponse(db: Db, subject: string, key: string, requestHash: string, status: number, response: unknown) {
  await db
    .insertInto('idempotency_key')
    .values({ subject, key, request_hash: requestHash, status, response: JSON.stringify(response) })
    .execute();
}
