import type { Me } from '../../core/contract/common';
import { ApiClientError, type ApiClient, type ReportAddress, type WorkbookFile } from '../api-client';
import { UserFacingError, userMessage } from '../errors';
import { reportKey, reportTables, type ExcelGateway, type ReportMeta, type ReportSession } from '../excel/gateway';
import type { Report } from '../../core/contract/report';
import { consolidationSheets } from '../../core/sheets/consolidation-layout';
import { snapshotOf, type Snapshot } from '../../core/sheets/read-report-sheet';
import { reportToModel, stateText } from '../../core/sheets/report-layout';
import { rulesOf } from '../../core/sheets/sheet-rules';
import {
  conflictNote,
  conflictsFrom,
  mergeServer,
  noteItems,
  notesUpdate,
  pendingCount,
  readSheet,
  rebaseOnTheirs,
  requestBody,
  validationNotes,
  withoutRows,
  type Conflict,
  type Pending,
  type RowNote,
  type RowKind,
} from '../../core/sheets/sheet-sync';
import { afterChanges } from './apply-changes';
import { consolidationSummary, plural, pullSummary, refreshSummary, sendSummary, uploadSummary } from './texts';

/**
 * The task pane's state and actions, apart from the DOM: sign in, choose a report, pull, send,
 * resolve conflicts, refresh, submit. Each action is one Excel.run through the gateway.
 */
export interface Message {
  kind: 'info' | 'success' | 'error';
  text: string;
}

export interface MissingItem {
  table: RowKind;
  id: number;
  message: string;
}

export interface PaneState {
  phase: 'signed-out' | 'ready';
  me: Me | null;
  selection: ReportAddress;
  busy: string | null;
  message: Message | null;
  conflicts: Conflict[];
  incomplete: MissingItem[];
  /** Rows the last send left in the sheet because of a problem, each a link to its row. */
  rowProblems: MissingItem[];
  reports: ReportMeta[];
  /** The report workbook to save, where Excel could not open it as a new workbook. */
  download: WorkbookFile | null;
  /** Why an uploaded workbook was refused, row by row ("Rad 14, Prognos: …"). */
  uploadErrors: string[];
}

/** The centre's tools (the consolidation) are offered to the role `central` only. */
export const isCentral = (me: Me | null) => me?.roles.includes('central') ?? false;

export interface ControllerDeps {
  createApi(getToken: () => Promise<string>): ApiClient;
  excel: ExcelGateway;
  now(): Date;
}

/** Sends at most this many bodies per action: the first, and the rest after each 409. */
const MAX_ATTEMPTS = 3;

export class PaneController {
  private state: PaneState;
  private api: ApiClient | null = null;
  private readonly listeners = new Set<(s: PaneState) => void>();

  constructor(
    private readonly deps: ControllerDeps,
    selection: ReportAddress,
  ) {
    this.state = {
      phase: 'signed-out',
      me: null,
      selection,
      busy: null,
      message: null,
      conflicts: [],
      incomplete: [],
      rowProblems: [],
      reports: [],
      download: null,
      uploadErrors: [],
    };
  }

  get current(): PaneState {
    return this.state;
  }

  subscribe(listener: (s: PaneState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<PaneState>) {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  select(patch: Partial<ReportAddress>) {
    this.set({ selection: { ...this.state.selection, ...patch }, conflicts: [], incomplete: [], rowProblems: [], message: null, download: null, uploadErrors: [] });
  }

  async signIn(getToken: () => Promise<string>): Promise<boolean> {
    return this.run('Loggar in…', async () => {
      const api = this.deps.createApi(getToken);
      const me = await api.me();
      this.api = api;
      const organisations = me.organisations.map((o) => o.code);
      const organisation = organisations.includes(this.state.selection.organisation) ? this.state.selection.organisation : (organisations[0] ?? '');
      this.set({
        phase: 'ready',
        me,
        selection: { ...this.state.selection, organisation },
        reports: await this.deps.excel.listReports(),
        message: organisations.length === 0 ? { kind: 'info', text: 'Du rapporterar inte för någon nämnd ännu. Be stadsledningskontoret om behörighet.' } : null,
      });
    }).then((ok) => ok && this.state.phase === 'ready');
  }

  signOut() {
    this.api = null;
    this.set({ phase: 'signed-out', me: null, conflicts: [], incomplete: [], message: { kind: 'info', text: 'Du är utloggad.' } });
  }

  /** "Hämta": a new sheet, or, if the report is already in the workbook, the same as "Uppdatera". */
  pull(): Promise<boolean> {
    if (this.metaOfSelection()) return this.refresh();
    return this.run('Hämtar rapporten från Tertial…', async () => {
      const report = await this.requireApi().getReport(this.address());
      const model = reportToModel(report, this.deps.now());
      this.set({ busy: `Skriver ${plural(report.indicators.length + report.goals.length, 'rad', 'rader')} till bladet…` });
      const key = reportKey(report.organisation.code, report.year, report.period);
      await this.deps.excel.pullReport(model, {
        key,
        organisation: { code: report.organisation.code, name: report.organisation.name },
        year: report.year,
        period: report.period,
        state: report.state,
        pulledAt: this.deps.now().toISOString(),
        tables: reportTables(key, model),
        snapshot: snapshotOf(report),
        rules: rulesOf(report),
      });
      this.set({
        reports: await this.deps.excel.listReports(),
        conflicts: [],
        incomplete: [],
        message: {
          kind: 'success',
          text: pullSummary(
            report.indicators.length,
            report.goals.length,
            model.sheets.map((s) => s.name),
          ),
        },
      });
    });
  }

  /** "Uppdatera": server changes into rows without local edits; `discard` rows take the server's values anyway. */
  refresh(discard?: Conflict): Promise<boolean> {
    return this.run('Uppdaterar från Tertial…', async () =>
      this.withSheet(async (session, read) => {
        const report = await this.requireApi().getReport(this.address());
        const ids = (t: RowKind) => new Set(discard && discard.table === t ? [discard.id] : []);
        const merge = mergeServer(read, report, session.meta.snapshot, { indicators: ids('indicators'), goals: ids('goals') });
        await session.write(merge.update, { ...session.meta, state: report.state, snapshot: merge.snapshot, rules: rulesOf(report) });
        this.set({
          conflicts: this.state.conflicts.filter((c) => c !== discard),
          message: {
            kind: merge.kept.length > 0 || merge.missing > 0 ? 'info' : 'success',
            text: discard
              ? `Rad ${discard.row}: värdet från Tertial står nu i bladet. ${refreshSummary(merge.merged, merge.kept.length, merge.missing)}`
              : refreshSummary(merge.merged, merge.kept.length, merge.missing),
          },
        });
      }),
    );
  }

  /**
   * "Skicka": the changed rows, with their base versions; the API answers with what it changed
   * (versions, statuses, suggestions: apply-changes.ts), which goes back into the sheet with the errors.
   */
  send(rebase: Conflict[] = []): Promise<boolean> {
    return this.run('Läser bladet…', async () =>
      this.withSheet(async (session, read, snapshot) => {
        if (read.problems.length === 0 && pendingCount(read.pending) === 0) {
          await session.write(notesUpdate(read.raw, []), session.meta);
          this.set({ conflicts: [], rowProblems: [], message: { kind: 'info', text: 'Inga ändringar att spara: bladet stämmer med det du senast hämtade eller sparade.' } });
          return;
        }
        const outcome = await this.sendPending(this.requireApi(), read.pending, read.raw);
        const notes: RowNote[] = [...read.problems, ...outcome.notes, ...outcome.conflicts.map(conflictNote)];
        this.set({ busy: 'Skriver tillbaka till bladet…' });
        if (outcome.changes) {
          // A write changes values, not what the rules rest on (årsmål, directions): the sheet's rules stay.
          const after = afterChanges(read, outcome.changes, outcome.sent, snapshot, notes);
          await session.write(after.update, { ...session.meta, state: outcome.changes.state, snapshot: after.snapshot });
        } else {
          await session.write(notesUpdate(read.raw, notes), { ...session.meta, snapshot });
        }
        const problemNotes = [...read.problems, ...outcome.notes];
        const errorRows = new Set(problemNotes.map((n) => `${n.table}:${n.row}`)).size;
        const summary = sendSummary(outcome.changes ? pendingCount(outcome.sent) : 0, errorRows, outcome.conflicts.length);
        this.set({
          conflicts: outcome.conflicts,
          rowProblems: noteItems(read.raw, problemNotes),
          message: outcome.failure
            ? { kind: 'error', text: `${outcome.failure.message} (${summary})` }
            : { kind: errorRows + outcome.conflicts.length > 0 ? 'info' : 'success', text: `${summary}.` },
        });
      }, rebase),
    );
  }

  /** A conflict resolved: keep theirs (into the sheet and the snapshot), or send mine again on their version. */
  resolve(conflict: Conflict, choice: 'theirs' | 'mine'): Promise<boolean> {
    return choice === 'theirs' ? this.refresh(conflict) : this.send([conflict]);
  }

  /** "Skicka in": only with nothing unsent in the sheet; what is missing is listed, each a link to its row. */
  submit(): Promise<boolean> {
    return this.run('Kontrollerar bladet…', async () => {
      if (this.metaOfSelection()) {
        const unsent = await this.withSheet(async (_session, read) => pendingCount(read.pending) + read.problems.length);
        if (unsent > 0) {
          this.set({
            message: {
              kind: 'error',
              text: `Bladet har ${plural(unsent, 'rad som inte är sparad', 'rader som inte är sparade')} eller har fel. Spara i Tertial först, lämna sedan in.`,
            },
          });
          return;
        }
      }
      this.set({ busy: 'Skickar in rapporten…' });
      try {
        const report = await this.requireApi().submitReport(this.address());
        this.set({
          incomplete: [],
          message: { kind: 'success', text: `Rapporten är inskickad (${stateText(report.state)}). Stadsledningskontoret kan öppna den igen vid behov.` },
        });
      } catch (e) {
        if (!(e instanceof ApiClientError) || e.code !== 'INCOMPLETE') throw e;
        const incomplete = e.details.flatMap((d): MissingItem[] => {
          const table = d.section === 'goals' ? 'goals' : 'indicators';
          const id = table === 'goals' ? d.goalId : d.indicatorId;
          return typeof id === 'number' ? [{ table, id, message: d.message }] : [];
        });
        this.set({ incomplete, message: { kind: 'error', text: `${e.message} Klicka på en rad nedan för att gå till den i bladet.` } });
      }
    });
  }

  /** Selects the row of a missing item in the sheet. */
  showRow(item: MissingItem): Promise<boolean> {
    return this.run(
      'Letar upp raden…',
      async () => {
        const meta = this.metaOfSelection();
        const found = meta ? await this.deps.excel.selectRecord(meta.key, item.table, item.id) : false;
        if (!found) this.set({ message: { kind: 'error', text: 'Raden finns inte i bladet. Hämta rapporten för att få med den.' } });
      },
      true,
    );
  }

  /** "Hämta konsolidering" (central): every nämnd's report for the year and period, into read-only sheets. */
  pullConsolidation(): Promise<boolean> {
    return this.run('Hämtar konsolideringen från Tertial…', async () => {
      if (!isCentral(this.state.me)) throw new UserFacingError('Konsolideringen är till för stadsledningskontoret.');
      const api = this.requireApi();
      const { year, period } = this.state.selection;
      const [consolidation, signals] = await Promise.all([api.getConsolidation(year, period), api.getSteeringSignals(year)]);
      const sheets = consolidationSheets(consolidation, signals, this.deps.now());
      this.set({ busy: `Skriver ${plural(sheets.length, 'blad', 'blad')}…` });
      const replaced = await this.deps.excel.pullConsolidation(sheets);
      this.set({ message: { kind: 'success', text: consolidationSummary(consolidation, sheets.length, replaced) } });
    });
  }

  /** "Ladda ner arbetsbok": the report as an xlsx, opened as a new workbook, else offered as a file to save. */
  downloadWorkbook(): Promise<boolean> {
    return this.run('Hämtar arbetsboken från Tertial…', async () => {
      this.set({ download: null, uploadErrors: [] });
      const file = await this.requireApi().downloadWorkbook(this.address());
      if (await this.deps.excel.openWorkbook(base64Of(file.bytes))) {
        this.set({ message: { kind: 'success', text: `Arbetsboken "${file.fileName}" är öppnad som en ny arbetsbok. Fyll i de blå cellerna, spara den och ladda upp den här.` } });
      } else {
        this.set({ download: file, message: { kind: 'info', text: 'Arbetsboken är klar. Spara den med länken nedan, fyll i de blå cellerna och ladda upp den här.' } });
      }
    });
  }

  /** "Ladda upp ifylld arbetsbok": written like Skicka, all or nothing; refused rows are listed by their row in the workbook. */
  uploadWorkbook(bytes: Uint8Array): Promise<boolean> {
    return this.run('Laddar upp arbetsboken…', async () => {
      this.set({ download: null, uploadErrors: [] });
      const api = this.requireApi();
      const before = await api.getReport(this.address());
      try {
        const after = await api.uploadWorkbook(this.address(), bytes);
        this.set({ message: { kind: 'success', text: uploadSummary(changedRows(before, after), this.metaOfSelection() !== undefined) } });
      } catch (e) {
        if (!(e instanceof ApiClientError) || (e.code !== 'VALIDATION_FAILED' && e.code !== 'CONFLICT')) throw e;
        this.set({
          uploadErrors: e.details.map((d) => d.message),
          message: { kind: 'error', text: `${e.message} Rätta raderna nedan i arbetsboken, spara och ladda upp den igen.` },
        });
      }
    });
  }

  private async sendPending(api: ApiClient, pending: Pending, raw: Parameters<typeof conflictsFrom>[2]) {
    let toSend = pending;
    const conflicts: Conflict[] = [];
    const notes: RowNote[] = [];
    for (let attempt = 0; attempt < MAX_ATTEMPTS && pendingCount(toSend) > 0; attempt++) {
      const body = requestBody(toSend);
      this.set({ busy: `Skickar ${plural(pendingCount(toSend), 'rad', 'rader')}…` });
      try {
        const changes = await api.putReport(this.address(), body);
        return { changes, sent: toSend, conflicts, notes, failure: null };
      } catch (e) {
        if (!(e instanceof ApiClientError)) throw e;
        const found = e.code === 'CONFLICT' ? conflictsFrom(e.details, toSend, raw) : [];
        if (found.length === 0) {
          if (e.code === 'VALIDATION_FAILED') notes.push(...validationNotes(e.details, toSend));
          return { changes: null, sent: toSend, conflicts, notes, failure: e };
        }
        conflicts.push(...found);
        toSend = withoutRows(toSend, found);
      }
    }
    return { changes: null, sent: toSend, conflicts, notes, failure: null };
  }

  private requireApi(): ApiClient {
    if (!this.api) throw new UserFacingError('Logga in först.');
    return this.api;
  }

  private address(): ReportAddress {
    return { ...this.state.selection };
  }

  private metaOfSelection(): ReportMeta | undefined {
    const { organisation, year, period } = this.state.selection;
    return this.state.reports.find((r) => r.key === reportKey(organisation, year, period));
  }

  /** One Excel.run on the selected report's sheet: read and parse it, then `work`. */
  private async withSheet<T>(work: (session: ReportSession, read: ReturnType<typeof readSheet>, snapshot: Snapshot) => Promise<T>, rebase: Conflict[] = []): Promise<T> {
    const meta = this.metaOfSelection();
    if (!meta) throw new UserFacingError('Rapporten finns inte i arbetsboken ännu. Tryck Hämta först.');
    return this.deps.excel.withReport(meta.key, async (session) => {
      const snapshot = rebase.reduce(rebaseOnTheirs, session.meta.snapshot);
      const read = readSheet(await session.read(), snapshot, session.meta.rules);
      if (read.layoutProblems.length > 0) throw new UserFacingError(read.layoutProblems.map((p) => p.message).join(' '));
      return work(session, read, snapshot);
    });
  }

  /** Runs an action with progress text; whatever goes wrong becomes a message, never a silent log. */
  private async run(busy: string, action: () => Promise<void>, keepMessage = false): Promise<boolean> {
    if (this.state.busy) return false;
    this.set({ busy, ...(keepMessage ? {} : { message: null }) });
    try {
      await action();
      return true;
    } catch (e) {
      if (e instanceof ApiClientError && e.code === 'UNAUTHENTICATED') this.api = null;
      this.set({
        message: { kind: 'error', text: userMessage(e, this.deps.now()) },
        ...(e instanceof ApiClientError && e.code === 'UNAUTHENTICATED' ? { phase: 'signed-out' as const } : {}),
      });
      return false;
    } finally {
      this.set({ busy: null, reports: await this.deps.excel.listReports().catch(() => this.state.reports) });
    }
  }
}

/** Rows the API wrote: those whose version moved. */
function changedRows(before: Report, after: Report): number {
  const versions = new Map([...before.indicators.map((i) => [`i${i.indicatorId}`, i.version] as const), ...before.goals.map((g) => [`g${g.goalId}`, g.version] as const)]);
  return [...after.indicators.map((i) => versions.get(`i${i.indicatorId}`) !== i.version), ...after.goals.map((g) => versions.get(`g${g.goalId}`) !== g.version)].filter(Boolean)
    .length;
}

/** Office's createWorkbook takes the file as base64. */
function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
