// The REST API (/v2), the same one every client uses. When Bora runs with
// authentication on, the token the user pasted into the header's field is
// kept in localStorage and sent as X-Auth-Token (Keystone's header).
export const TOKEN_KEY = "bora.token";

export function authToken(): string {
  return localStorage.getItem(TOKEN_KEY) ?? "";
}

export function setAuthToken(token: string): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export function authHeaders(): Record<string, string> {
  const t = authToken();
  return t ? { "X-Auth-Token": t } : {};
}

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

// Mistral's error body is {"faultstring": ...}; validation answers carry
// {"error": ...}.
function errorText(status: number, body: unknown): string {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    for (const k of ["faultstring", "error", "message"]) if (typeof b[k] === "string") return b[k] as string;
  }
  if (typeof body === "string" && body) return body;
  return `HTTP ${status}`;
}

// A JSON or YAML request; a string body goes as text/plain (definitions are
// sent as YAML text, as Mistral's client does).
export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...authHeaders() };
  let data: string | undefined;
  if (typeof body === "string") {
    data = body;
    headers["Content-Type"] = "text/plain";
    // Mistral's definition uploads are exposed as text/plain (they answer
    // JSON all the same): an Accept without text/plain is refused with 406.
    headers["Accept"] = "application/json, text/plain;q=0.9";
  } else if (body !== undefined) {
    data = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const r = await fetch(path, { method, headers, body: data });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  if (r.status === 401)
    throw new ApiError(401, errorText(401, parsed) + " (the server checks tokens: paste one into the token field at the top right)");
  if (!r.ok) throw new ApiError(r.status, errorText(r.status, parsed));
  return parsed as T;
}

// Fields Mistral's API returns as JSON text (input, output, params,
// published, runtime_context): parsed when they are.
export function jsonField(v: unknown): any {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

export function pretty(v: unknown): string {
  const parsed = jsonField(v);
  if (parsed === null || parsed === undefined || parsed === "") return "";
  return typeof parsed === "string" ? parsed : JSON.stringify(parsed, null, 2);
}

// "YYYY-MM-DD HH:MM:SS" in UTC: how the API writes and filters times.
export function apiTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace("T", " ");
}

export interface Execution {
  id: string;
  workflow_id: string;
  workflow_name: string;
  workflow_namespace: string;
  description: string;
  state: string;
  state_info: string | null;
  input: string;
  output: string;
  params: string;
  task_execution_id: string | null;
  root_execution_id: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface Task {
  id: string;
  name: string;
  type: string;
  state: string;
  state_info: string | null;
  workflow_execution_id: string;
  runtime_context?: string;
  items?: { count: number; done: number }; // Bora's: a with-items task's progress
  result?: string;
  published?: string;
  created_at: string;
  started_at?: string | null;
  finished_at?: string | null;
}

export interface Workflow {
  id: string;
  name: string;
  namespace: string;
  input: string;
  interface: unknown;
  definition: string;
  scope: string;
  created_at: string;
  updated_at: string | null;
}
