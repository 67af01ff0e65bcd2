import { PeriodCodeSchema } from '../../api/contract/common';
import { createApiClient } from '../api-client';
import type { ExcelGateway } from '../excel/gateway';
import { createOfficeGateway } from '../excel/office-gateway';
import { settingsStore } from '../excel/settings-store';
import { devTokenStore, fetchSignInConfig, naaTokenProvider } from './auth';
import { PaneController, type Selection } from './controller';
import { bindView } from './view';

/**
 * Starts the pane. Inside Excel the gateway is Office.js; outside an Office host the pane says
 * "open me in Excel". The single injection point for tests: a gateway placed on
 * window.__tertialExcel before this script runs (the browser test's in-memory double).
 */
declare global {
  interface Window {
    __tertialExcel?: ExcelGateway;
  }
}

const SELECTION_KEY = 'tertial.selection';

function savedSelection(): Selection {
  const fallback: Selection = { organisation: '', year: new Date().getFullYear(), period: 'T1' };
  try {
    const s = JSON.parse(localStorage.getItem(SELECTION_KEY) ?? 'null') as Partial<Selection> | null;
    return {
      organisation: typeof s?.organisation === 'string' ? s.organisation : fallback.organisation,
      year: Number.isInteger(s?.year) ? (s!.year as number) : fallback.year,
      period: PeriodCodeSchema.safeParse(s?.period).success ? (s!.period as Selection['period']) : fallback.period,
    };
  } catch {
    return fallback;
  }
}

async function officeHost(): Promise<string | null> {
  if (typeof Office === 'undefined') return null;
  const info = await Office.onReady();
  return info.host ? String(info.host) : null;
}

function gatewayFor(host: string | null): ExcelGateway | null {
  if (window.__tertialExcel) return window.__tertialExcel;
  if (host !== 'Excel') return null;
  return createOfficeGateway({
    store: settingsStore(Office.context.document.settings),
    supports: (set, version) => Office.context.requirements.isSetSupported(set, version),
  });
}

async function start() {
  const excel = gatewayFor(await officeHost());
  if (!excel) {
    document.getElementById('starting')!.hidden = true;
    document.getElementById('no-excel')!.hidden = false;
    return;
  }
  const controller = new PaneController(
    {
      createApi: (getToken) => createApiClient({ baseUrl: '', getToken }),
      excel,
      newKey: () => crypto.randomUUID(),
      now: () => new Date(),
    },
    savedSelection(),
  );
  const signOut = () => {
    devTokenStore.clear();
    controller.signOut();
  };
  controller.subscribe(bindView(controller, signOut));
  controller.subscribe((s) => localStorage.setItem(SELECTION_KEY, JSON.stringify(s.selection)));

  const signInWithDevToken = async (token: string) => {
    if (await controller.signIn(async () => token)) devTokenStore.set(token);
    else devTokenStore.clear();
  };
  const signIn = await fetchSignInConfig();
  const naaButton = document.getElementById('naa-sign-in') as HTMLButtonElement;
  const devForm = document.getElementById('dev-sign-in') as HTMLFormElement;
  naaButton.hidden = signIn.mode !== 'entra';
  devForm.hidden = signIn.mode !== 'development';
  if (signIn.mode === 'unconfigured') alertMessage('Inloggningen är inte inställd på servern. Kontakta förvaltningen av Tertial.');
  naaButton.onclick = async () => {
    if (signIn.mode !== 'entra') return;
    try {
      await controller.signIn(await naaTokenProvider(signIn));
    } catch (e) {
      controller.signOut();
      alertMessage(`Inloggningen misslyckades: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const tokenInput = document.getElementById('dev-token') as HTMLTextAreaElement;
  devForm.onsubmit = (e) => {
    e.preventDefault();
    const token = tokenInput.value.trim();
    tokenInput.value = '';
    if (token) void signInWithDevToken(token);
  };
  const remembered = devTokenStore.get();
  if (remembered && signIn.mode === 'development') await signInWithDevToken(remembered);
}

function alertMessage(text: string) {
  const message = document.getElementById('message')!;
  message.textContent = text;
  message.className = 'message error';
  message.hidden = false;
}

void start();
