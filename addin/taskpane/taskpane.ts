import { PeriodCodeSchema, type SignInConfig } from '../../core/contract/common';
import { createApiClient } from '../api-client';
import type { ExcelGateway } from '../excel/gateway';
import { createOfficeGateway } from '../excel/office-gateway';
import { userMessage } from '../errors';
import { settingsStore } from '../excel/settings-store';
import { AccountManager, NOT_CONFIGURED_MESSAGE, devTokenStore, fetchSignInConfig } from './auth';
import { PaneController } from './controller';
import type { ReportAddress } from '../../core/contract/report';
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

function savedSelection(): ReportAddress {
  const fallback: ReportAddress = { organisation: '', year: new Date().getFullYear(), period: 'T1' };
  try {
    const s = JSON.parse(localStorage.getItem(SELECTION_KEY) ?? 'null') as Partial<ReportAddress> | null;
    return {
      organisation: typeof s?.organisation === 'string' ? s.organisation : fallback.organisation,
      year: Number.isInteger(s?.year) ? (s!.year as number) : fallback.year,
      period: PeriodCodeSchema.safeParse(s?.period).success ? (s!.period as ReportAddress['period']) : fallback.period,
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
  const naaButton = document.getElementById('naa-sign-in') as HTMLButtonElement;
  const devForm = document.getElementById('dev-sign-in') as HTMLFormElement;
  const problem = document.getElementById('sign-in-problem')!;
  const retry = document.getElementById('sign-in-retry') as HTMLButtonElement;
  let account: AccountManager | null = null;

  /** Asks the API how to sign in. An API out of reach says so and offers a retry; "not configured" is the API's own answer. */
  const offerSignIn = async () => {
    retry.disabled = true;
    let signIn: SignInConfig;
    try {
      signIn = await fetchSignInConfig();
    } catch (e) {
      naaButton.hidden = devForm.hidden = true;
      showProblem(userMessage(e, new Date()), true);
      return;
    } finally {
      retry.disabled = false;
    }
    problem.hidden = true;
    naaButton.hidden = signIn.mode !== 'entra';
    devForm.hidden = signIn.mode !== 'development';
    account = signIn.mode === 'entra' ? new AccountManager(signIn) : null;
    if (signIn.mode === 'unconfigured') showProblem(NOT_CONFIGURED_MESSAGE, false);
    const remembered = devTokenStore.get();
    if (remembered && signIn.mode === 'development') await signInWithDevToken(remembered);
  };
  const showProblem = (text: string, canRetry: boolean) => {
    document.getElementById('sign-in-problem-text')!.textContent = text;
    retry.hidden = !canRetry;
    problem.hidden = false;
  };
  retry.onclick = () => void offerSignIn();
  naaButton.onclick = () => {
    if (account) void controller.signIn(() => account!.acquireToken());
  };
  const tokenInput = document.getElementById('dev-token') as HTMLTextAreaElement;
  devForm.onsubmit = (e) => {
    e.preventDefault();
    const token = tokenInput.value.trim();
    tokenInput.value = '';
    if (token) void signInWithDevToken(token);
  };
  await offerSignIn();
}

/** Not even the pane could start: say so in its place, in Swedish, and log the original. */
start().catch((e: unknown) => {
  const starting = document.getElementById('starting')!;
  starting.textContent = userMessage(e, new Date());
  starting.className = 'message error';
  starting.hidden = false;
});
