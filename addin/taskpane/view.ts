import { XLSX_MIME, type PeriodCode } from '../../core/contract/common';
import { PERIOD_NAMES } from '../../core/sheets/report-layout';
import type { Conflict } from '../../core/sheets/sheet-sync';
import { isCentral, type MissingItem, type PaneController, type PaneState } from './controller';
import { formatValue } from './texts';
import { FIELD_LABELS } from '../../core/contract/messages';

/** The DOM side of the pane: renders the controller's state and forwards clicks. No logic of its own. */
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function item(children: (Node | string)[], className?: string): HTMLLIElement {
  const li = document.createElement('li');
  if (className) li.className = className;
  li.append(...children);
  return li;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.textContent = text;
  if (className) e.className = className;
  return e;
}

function conflictItem(c: Conflict, controller: PaneController): HTMLLIElement {
  const values = document.createElement('dl');
  values.className = 'values';
  for (const field of Object.keys(c.mine)) {
    values.append(el('dt', `${FIELD_LABELS[field] ?? field}, din:`), el('dd', formatValue(c.mine[field] ?? null)));
    values.append(el('dt', `${FIELD_LABELS[field] ?? field}, deras:`), el('dd', formatValue(c.theirs[field] ?? null)));
  }
  const who = `Ändrad av ${c.changedBy ?? 'någon annan'}${c.changedAt ? ` ${new Date(c.changedAt).toLocaleString('sv-SE', { dateStyle: 'short', timeStyle: 'short' })}` : ''}`;
  const theirs = el('button', 'Behåll deras');
  theirs.type = 'button';
  theirs.onclick = () => void controller.resolve(c, 'theirs');
  const mine = el('button', 'Skicka min igen');
  mine.type = 'button';
  mine.onclick = () => void controller.resolve(c, 'mine');
  const choices = document.createElement('div');
  choices.className = 'choices';
  choices.append(theirs, mine);
  return item([el('div', `Rad ${c.row}: ${c.label}`, 'what'), el('div', who, 'hint'), values, choices]);
}

function missingItem(m: MissingItem, controller: PaneController): HTMLLIElement {
  const link = el('button', m.message, 'row-link');
  link.type = 'button';
  link.title = 'Markera raden i bladet';
  link.onclick = () => void controller.showRow(m);
  return item([link]);
}

export function bindView(controller: PaneController, onSignOut: () => void) {
  const organisation = $<HTMLSelectElement>('organisation');
  const year = $<HTMLInputElement>('year');
  const period = $<HTMLSelectElement>('period');
  const buttons = ['pull', 'send', 'refresh', 'submit', 'download-workbook', 'upload-workbook'].map((id) => $<HTMLButtonElement>(id));
  const uploadFile = $<HTMLInputElement>('upload-file');
  const downloadLink = $<HTMLAnchorElement>('download-link');
  let offered: PaneState['download'] = null;

  organisation.onchange = () => controller.select({ organisation: organisation.value });
  year.onchange = () => {
    const y = Number(year.value);
    if (Number.isInteger(y) && y >= 2000 && y <= 2100) controller.select({ year: y });
  };
  period.onchange = () => controller.select({ period: period.value as PeriodCode });
  $('pull').onclick = () => void controller.pull();
  $('send').onclick = () => void controller.send();
  $('refresh').onclick = () => void controller.refresh();
  $('submit').onclick = () => void controller.submit();
  $('download-workbook').onclick = () => void controller.downloadWorkbook();
  $('upload-workbook').onclick = () => uploadFile.click();
  uploadFile.onchange = async () => {
    const file = uploadFile.files?.[0];
    uploadFile.value = '';
    if (file) await controller.uploadWorkbook(new Uint8Array(await file.arrayBuffer()));
  };
  $('pull-consolidation').onclick = () => void controller.pullConsolidation();
  $('sign-out').onclick = onSignOut;
  $<HTMLFormElement>('picker').onsubmit = (e) => e.preventDefault();

  const thisYear = new Date().getFullYear();
  $('years').replaceChildren(...[...new Set([thisYear + 1, thisYear, thisYear - 1, 2022])].map((y) => Object.assign(document.createElement('option'), { value: String(y) })));

  return function render(s: PaneState) {
    $('starting').hidden = true;
    $('sign-in').hidden = s.phase !== 'signed-out';
    $('report').hidden = s.phase !== 'ready';
    $('who').textContent = s.me ? s.me.name : '';

    const options = (s.me?.organisations ?? []).map((o) => Object.assign(document.createElement('option'), { value: o.code, textContent: o.name }));
    if (organisation.options.length !== options.length || [...organisation.options].some((o, i) => o.value !== options[i]?.value)) {
      organisation.replaceChildren(...options);
    }
    organisation.value = s.selection.organisation;
    if (document.activeElement !== year) year.value = String(s.selection.year);
    period.value = s.selection.period;
    const hasSheet = s.reports.some((r) => r.organisation.code === s.selection.organisation && r.year === s.selection.year && r.period === s.selection.period);
    for (const b of buttons) b.disabled = s.busy !== null || !s.selection.organisation;
    $<HTMLButtonElement>('send').disabled ||= !hasSheet;
    $<HTMLButtonElement>('refresh').disabled ||= !hasSheet;

    $('busy').hidden = s.busy === null;
    $('busy').textContent = s.busy ?? '';
    // The message shows where the user is: under the report's buttons, or on the sign-in form.
    for (const [id, phase] of [
      ['message', 'ready'],
      ['sign-in-message', 'signed-out'],
    ] as const) {
      const message = $(id);
      message.hidden = s.message === null || s.phase !== phase;
      message.textContent = s.message?.text ?? '';
      message.className = `message ${s.message?.kind ?? ''}`;
    }

    $('consolidation').hidden = !isCentral(s.me);
    $<HTMLButtonElement>('pull-consolidation').disabled = s.busy !== null;
    if (s.download !== offered) {
      if (downloadLink.href) URL.revokeObjectURL(downloadLink.href);
      offered = s.download;
      downloadLink.hidden = offered === null;
      downloadLink.removeAttribute('href');
      if (offered) {
        downloadLink.href = URL.createObjectURL(new Blob([offered.bytes as Uint8Array<ArrayBuffer>], { type: XLSX_MIME }));
        downloadLink.download = offered.fileName;
        downloadLink.textContent = `Spara ${offered.fileName}`;
      }
    }
    $('upload-errors').hidden = s.uploadErrors.length === 0;
    $('upload-errors').replaceChildren(...s.uploadErrors.map((text) => item([text])));

    $('conflicts').hidden = s.conflicts.length === 0;
    $('conflicts')
      .querySelector('ul')!
      .replaceChildren(...s.conflicts.map((c) => conflictItem(c, controller)));
    $('row-problems').hidden = s.rowProblems.length === 0;
    $('row-problems')
      .querySelector('ul')!
      .replaceChildren(...s.rowProblems.map((m) => missingItem(m, controller)));
    $('incomplete').hidden = s.incomplete.length === 0;
    $('incomplete')
      .querySelector('ul')!
      .replaceChildren(...s.incomplete.map((m) => missingItem(m, controller)));

    const sheets = $('sheets');
    sheets.querySelector('ul')!.replaceChildren(
      ...s.reports.map((r) => {
        const pick = el('button', `${r.organisation.name}, ${PERIOD_NAMES[r.period]} ${r.year}`, 'row-link');
        pick.type = 'button';
        pick.title = `Bladen ${Object.values(r.tables)
          .map((t) => `"${t.sheet}"`)
          .join(', ')}, hämtade ${new Date(r.pulledAt).toLocaleString('sv-SE', { dateStyle: 'short', timeStyle: 'short' })}`;
        pick.onclick = () => controller.select({ organisation: r.organisation.code, year: r.year, period: r.period });
        const current = r.organisation.code === s.selection.organisation && r.year === s.selection.year && r.period === s.selection.period;
        return item([pick], current ? 'current' : undefined);
      }),
    );
    (sheets.querySelector('.empty') as HTMLElement).hidden = s.reports.length > 0;
  };
}
