// The executions list: filters (state, workflow, time) kept in the URL,
// and live: new executions appear and states change as /v2/events says.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, apiTime, type Execution } from "../api";
import { ErrorBox, Section, StateBadge, message, shortId, useDebounced } from "../common";
import { subscribe, type StreamStatus } from "../events";
import { linkProps, navigate } from "../router";

const STATES = ["", "IDLE", "RUNNING", "PAUSED", "SUCCESS", "ERROR", "CANCELLED"];
const SINCE: [string, string, number][] = [
  ["", "any time", 0],
  ["1h", "last hour", 3600],
  ["24h", "last day", 86400],
  ["7d", "last week", 7 * 86400],
];
const WORKFLOW_EVENTS =
  "WORKFLOW_LAUNCHED,WORKFLOW_SUCCEEDED,WORKFLOW_FAILED,WORKFLOW_CANCELLED,WORKFLOW_PAUSED,WORKFLOW_RESUMED";

export function listQuery(state: string, workflow: string, since: string): string {
  const q = new URLSearchParams({ limit: "200", sort_keys: "created_at", sort_dirs: "desc" });
  if (state) q.set("state", state);
  if (workflow) q.set("workflow_name", workflow);
  const seconds = SINCE.find(([k]) => k === since)?.[2];
  if (seconds) q.set("created_at", "gte:" + apiTime(new Date(Date.now() - seconds * 1000)));
  return q.toString();
}

export function ExecutionsPage({ query }: { query: URLSearchParams }) {
  const state = query.get("state") ?? "";
  const workflow = query.get("workflow") ?? "";
  const since = query.get("since") ?? "";
  const [rows, setRows] = useState<Execution[] | null>(null);
  const [error, setError] = useState("");
  const [stream, setStream] = useState<StreamStatus>("connecting");
  const listed = useRef(new Set<string>());
  listed.current = new Set((rows ?? []).map((x) => x.id));

  const load = () =>
    api<{ executions: Execution[] }>("GET", "/v2/executions?" + listQuery(state, workflow, since)).then(
      (r) => {
        setRows(r.executions);
        setError("");
      },
      (e) => setError(message(e)),
    );
  const reload = useDebounced(load, 200);

  useEffect(() => {
    setRows(null);
    load();
    // A state change of a listed execution is applied in place; a new or
    // unlisted one reloads the list (the server applies the filters).
    return subscribe(
      "/v2/events?event_types=" + WORKFLOW_EVENTS,
      (e) => {
        const known = listed.current.has(e.execution_id);
        setRows((cur) => {
          if (!cur) return cur;
          return cur.map((x) => {
            if (x.id !== e.execution_id) return x;
            return { ...x, state: e.data.state ?? x.state, state_info: e.data.state_info ?? null, updated_at: e.data.updated_at ?? x.updated_at };
          });
        });
        if (!known || state) reload();
      },
      setStream,
    );
  }, [state, workflow, since]);

  const setFilter = (key: string, value: string) => {
    const q = new URLSearchParams(query);
    if (value) q.set(key, value);
    else q.delete(key);
    const s = q.toString();
    navigate("/" + (s ? "?" + s : ""));
  };

  return (
    <Section
      title="Executions"
      actions={<span class={`live live-${stream}`} title="event stream">{stream === "live" ? "● live" : "○ " + stream}</span>}
    >
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          State
          <select name="state" value={state} onChange={(e) => setFilter("state", (e.target as HTMLSelectElement).value)}>
            {STATES.map((s) => (
              <option value={s}>{s || "any"}</option>
            ))}
          </select>
        </label>
        <label>
          Workflow
          <input
            name="workflow"
            placeholder="workflow name"
            value={workflow}
            onChange={(e) => setFilter("workflow", (e.target as HTMLInputElement).value.trim())}
          />
        </label>
        <label>
          Started
          <select name="since" value={since} onChange={(e) => setFilter("since", (e.target as HTMLSelectElement).value)}>
            {SINCE.map(([k, label]) => (
              <option value={k}>{label}</option>
            ))}
          </select>
        </label>
      </form>
      <ErrorBox error={error} />
      {rows === null ? (
        <p class="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <p class="muted">No executions{state || workflow || since ? " match these filters" : " yet"}.</p>
      ) : (
        <table class="list" id="executions">
          <thead>
            <tr>
              <th>ID</th>
              <th>Workflow</th>
              <th>State</th>
              <th>Created (UTC)</th>
              <th>Updated</th>
              <th>State info</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr data-execution-id={x.id} data-state={x.state} key={x.id}>
                <td>
                  <a {...linkProps("/executions/" + x.id)} class="mono">
                    {shortId(x.id)}
                  </a>
                  {x.task_execution_id ? <span class="muted small"> sub</span> : null}
                </td>
                <td>{x.workflow_name}</td>
                <td>
                  <StateBadge state={x.state} />
                </td>
                <td class="mono small">{x.created_at}</td>
                <td class="mono small">{x.updated_at ?? ""}</td>
                <td class="info">{x.state_info ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
