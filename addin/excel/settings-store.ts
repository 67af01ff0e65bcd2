import { z } from 'zod';
import { ReportMetaSchema, type ReportMeta } from './gateway';

/**
 * Report metadata (organisation, year, period, pulledAt, the snapshot for diffing) lives in the
 * add-in's document settings (Office.context.document.settings): saved inside the workbook, so it
 * survives save, close and reopen; private to this add-in (no other add-in or formula sees it);
 * read synchronously and saved without a context.sync(), so it costs the sync budget nothing.
 * The limit is 2 MB per add-in and document: a report of a few thousand rows needs ~100 bytes a row.
 * (Custom XML parts have no size limit but are visible to every add-in and need syncs to read.)
 */
export interface MetaStore {
  all(): ReportMeta[];
  get(key: string): ReportMeta | undefined;
  put(meta: ReportMeta): Promise<void>;
}

export type SettingsLike = Pick<Office.Settings, 'get' | 'set' | 'saveAsync'>;

const SETTING = 'tertial.reports';

export function settingsStore(settings: SettingsLike): MetaStore {
  /** Settings are a boundary (an older add-in may have written them): each entry is parsed, a bad one dropped. */
  const read = (): Record<string, ReportMeta> => {
    const stored = z.record(z.string(), z.unknown()).safeParse(settings.get(SETTING));
    if (!stored.success) return {};
    return Object.fromEntries(
      Object.entries(stored.data).flatMap(([key, value]) => {
        const meta = ReportMetaSchema.safeParse(value);
        return meta.success ? [[key, meta.data]] : [];
      }),
    );
  };
  return {
    all: () => Object.values(read()),
    get: (key) => read()[key],
    put: (meta) => {
      settings.set(SETTING, { ...read(), [meta.key]: meta });
      return new Promise((resolve, reject) =>
        settings.saveAsync((result) =>
          String(result.status) === 'failed' ? reject(new Error(`Kunde inte spara Tertials uppgifter i arbetsboken: ${result.error?.message ?? ''}`)) : resolve(),
        ),
      );
    },
  };
}
