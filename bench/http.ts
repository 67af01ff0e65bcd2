/** A JSON call to the API over real HTTP (fetch), for the bench and the reliability tests. */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function callJson<T = any>(
  baseUrl: string,
  token: string,
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as T) : (undefined as T) };
}

export const reportPath = (year: number, organisation: string, period: string) => `/api/v1/years/${year}/organisations/${organisation}/reports/${period}`;
