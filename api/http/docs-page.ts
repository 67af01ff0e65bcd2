/** A plain, human-readable page of the API from the OpenAPI document (no scripts, no CDN). */
type Operation = { summary?: string; description?: string; responses?: Record<string, { description?: string }> };

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function docsPage(openapi: object): string {
  const paths = (openapi as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  const rows = Object.entries(paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(
      ([method, op]) => `
    <section>
      <h2><code>${method.toUpperCase()} ${escape(path)}</code></h2>
      <p>${escape(op.summary ?? '')}</p>
      ${op.description ? `<p class="d">${escape(op.description)}</p>` : ''}
      <p class="r">${Object.entries(op.responses ?? {})
        .map(([status, r]) => `<span>${status} ${escape(r.description ?? '')}</span>`)
        .join(' · ')}</p>
    </section>`,
    ),
  );
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Tertial API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1rem;margin:0}section{border-top:1px solid #ddd;padding:.6rem 0}
.d{color:#444}.r{color:#666;font-size:.85rem}code{background:#f4f4f4;padding:0 .2rem}</style></head>
<body><h1>Tertial API v1</h1>
<p>Alla anrop under <code>/api/v1</code> utom <code>health</code> kräver <code>Authorization: Bearer &lt;JWT&gt;</code>.
Fel har formen <code>{"error": {"code", "message", "details"}}</code>. Maskinläsbar beskrivning: <a href="/openapi.json">/openapi.json</a>.</p>
${rows.join('\n')}
</body></html>`;
}
