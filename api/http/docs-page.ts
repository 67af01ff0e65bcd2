/** A plain, human-readable page of the API from the OpenAPI document (no scripts, no CDN). */
type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, { description?: string }>;
};
type Document = { paths?: Record<string, Record<string, Operation>>; tags?: { name: string; description?: string }[] };

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function section(path: string, method: string, op: Operation): string {
  const body = Object.keys(op.requestBody?.content ?? {});
  return `
    <section id="${escape(op.operationId ?? '')}">
      <h3><code>${method.toUpperCase()} ${escape(path)}</code> <small>${escape(op.operationId ?? '')}${op.security?.length === 0 ? ' · utan inloggning' : ''}</small></h3>
      <p>${escape(op.summary ?? '')}</p>
      ${op.description ? `<p class="d">${escape(op.description)}</p>` : ''}
      ${body.length > 0 ? `<p class="r">Kropp: ${body.map((t) => `<code>${escape(t)}</code>`).join(', ')}</p>` : ''}
      <ul class="r">${Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><b>${escape(status)}</b> ${escape(r.description ?? '')}</li>`)
        .join('')}</ul>
    </section>`;
}

export function docsPage(openapi: object): string {
  const doc = openapi as Document;
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  const groups = (doc.tags ?? []).map(
    (tag) => `
  <h2>${escape(tag.name)}</h2>
  <p class="d">${escape(tag.description ?? '')}</p>
  ${operations
    .filter(({ op }) => op.tags?.includes(tag.name))
    .map(({ path, method, op }) => section(path, method, op))
    .join('\n')}`,
  );
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Tertial API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1rem;margin:0}small{color:#666;font-weight:normal}
section{border-top:1px solid #ddd;padding:.6rem 0}.d{color:#444}.r{color:#555;font-size:.85rem}ul.r{margin:.2rem 0;padding-left:1.2rem}
code{background:#f4f4f4;padding:0 .2rem}</style></head>
<body><h1>Tertial API v1</h1>
<p>Alla anrop kräver <code>Authorization: Bearer &lt;JWT&gt;</code> utom de som är märkta <i>utan inloggning</i>.
Fel har formen <code>{"error": {"code", "message", "details"}}</code>. Maskinläsbar beskrivning: <a href="/openapi.json">/openapi.json</a>.</p>
${groups.join('\n')}
</body></html>`;
}
