// One execution: its live graph, its state and controls (pause, resume,
// cancel), the task the user clicked (input, result, published values,
// state_info, action executions) and rerunning a failed task.
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, pretty, type Execution, type Task } from "../api";
import { ErrorBox, Json, Section, StateBadge, message, shortId, useLoad } from "../common";
import { subscribe, type BoraEvent, type StreamStatus } from "../events";
import { linkProps } from "../router";
import { ExecutionGraph, type EventBus } from "./graph_view";

export function ExecutionPage({ id }: { id: string }) {
  const [ex, setEx] = useState<Execution | null>(null);
  const [error, setError] = useState("");
  const [stream, setStream] = useState<StreamStatus>("connecting");
  const [selected, setSelected] = useState<Task | null>(null);
  const [busy, setBusy] = useState(false);

  // One stream for the whole tree (the root and its sub-workflows), from
  // its first retained event: whatever happened before the page loaded is
  // replayed, so the graph converges on the truth. Listeners: the graphs.
  const bus = useMemo(() => {
    const listeners = new Set<(e: BoraEvent) => void>();
    return {
      listeners,
      on: (fn: (e: BoraEvent) => void) => {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
    } as EventBus & { listeners: Set<(e: BoraEvent) => void> };
  }, [id]);

  const load = () => api<Execution>("GET", `/v2/executions/${id}`).then(setEx, (e) => setError(message(e)));

  useEffect(() => {
    setEx(null);
    setSelected(null);
    load();
    const off = bus.on((e) => {
      if (e.execution_id === id && !e.task_execution_id)
        setEx((cur) => (cur ? { ...cur, state: e.data.state ?? cur.state, state_info: e.data.state_info ?? null, updated_at: e.data.updated_at ?? cur.updated_at } : cur));
      if (e.execution_id === id && e.event.startsWith("WORKFLOW_")) load();
    });
    const stop = subscribe(`/v2/executions/${id}/events?from=0`, (e) => bus.listeners.forEach((fn) => fn(e)), setStream);
    return () => {
      off();
      stop();
    };
  }, [id]);

  // The selected task follows its events (its state, then its details).
  useEffect(
    () =>
      bus.on((e) => {
        if (selected && e.task_execution_id === selected.id) setSelected((cur) => (cur ? { ...cur, state: e.data.state } : cur));
      }),
    [selected?.id],
  );

  const setState = async (state: string) => {
    setBusy(true);
    try {
      setEx(await api<Execution>("PUT", `/v2/executions/${id}`, { state }));
      setError("");
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="execution-page">
      <Section
        title={ex ? `Execution of ${ex.workflow_name}` : "Execution"}
        actions={
          <>
            <span class={`live live-${stream}`}>{stream === "live" ? "● live" : "○ " + stream}</span>
            {ex?.state === "RUNNING" ? (
              <button id="pause" disabled={busy} onClick={() => setState("PAUSED")}>
                Pause
              </button>
            ) : null}
            {ex?.state === "PAUSED" ? (
              <button id="resume" disabled={busy} onClick={() => setState("RUNNING")}>
                Resume
              </button>
            ) : null}
            {ex && (ex.state === "RUNNING" || ex.state === "PAUSED" || ex.state === "IDLE") ? (
              <button id="cancel" class="danger" disabled={busy} onClick={() => setState("CANCELLED")}>
                Cancel
              </button>
            ) : null}
          </>
        }
      >
        <ErrorBox error={error} />
        {ex ? (
          <dl class="facts" id="execution" data-state={ex.state}>
            <dt>ID</dt>
            <dd class="mono">{ex.id}</dd>
            <dt>State</dt>
            <dd>
              <StateBadge state={ex.state} /> <span class="info">{ex.state_info ?? ""}</span>
            </dd>
            <dt>Created</dt>
            <dd class="mono small">{ex.created_at}</dd>
            <dt>Updated</dt>
            <dd class="mono small">{ex.updated_at ?? ""}</dd>
            {ex.root_execution_id && ex.root_execution_id !== ex.id ? (
              <>
                <dt>Root</dt>
                <dd>
                  <a {...linkProps("/executions/" + ex.root_execution_id)} class="mono">
                    {shortId(ex.root_execution_id)}
                  </a>
                </dd>
              </>
            ) : null}
          </dl>
        ) : null}
      </Section>
      <div class="split">
        <Section title="Graph">
          <ExecutionGraph executionId={id} bus={bus} selected={selected?.id} onSelect={setSelected} />
          <Legend />
        </Section>
        <div class="side">
          {selected ? <TaskPanel key={selected.id + selected.state} task={selected} /> : <p class="muted card">Click a task for its details.</p>}
          {ex ? (
            <Section title="Input and output">
              <Json label="input" value={pretty(ex.input)} />
              <Json label="output" value={pretty(ex.output)} />
            </Section>
          ) : null}
        </div>
      </div>
    </div>
  );
}

function Legend() {
  return (
    <div class="legend small">
      <span class="swatch-line on-success">on-success</span>
      <span class="swatch-line on-error">on-error</span>
      <span class="swatch-line on-complete">on-complete</span>
      <span class="swatch-line requires">requires</span>
      {["RUNNING", "SUCCESS", "ERROR", "WAITING", "PAUSED", "CANCELLED"].map((s) => (
        <StateBadge state={s} />
      ))}
    </div>
  );
}

interface ActionExecution {
  id: string;
  name: string;
  state: string;
  state_info: string | null;
  input: string;
  output: string;
  created_at: string;
}

function TaskPanel({ task }: { task: Task }) {
  const full = useLoad(() => api<Task>("GET", `/v2/tasks/${task.id}`), [task.id, task.state]);
  const actions = useLoad(
    () => api<{ action_executions: ActionExecution[] }>("GET", `/v2/tasks/${task.id}/action_executions`),
    [task.id, task.state],
  );
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const t = full.data ?? task;

  const rerun = async () => {
    setBusy(true);
    try {
      await api("PUT", `/v2/tasks/${task.id}`, { state: "RUNNING", reset: true });
      setError("");
      full.reload();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const acts = actions.data?.action_executions ?? [];
  return (
    <Section
      title={`Task ${t.name}`}
      actions={
        t.state === "ERROR" ? (
          <button id="rerun" disabled={busy} onClick={rerun}>
            Rerun
          </button>
        ) : null
      }
    >
      <div id="task-panel" data-task={t.name} data-state={t.state}>
        <ErrorBox error={error || full.error} />
        <dl class="facts">
          <dt>State</dt>
          <dd>
            <StateBadge state={t.state} />
          </dd>
          <dt>Type</dt>
          <dd>{t.type}</dd>
          <dt>ID</dt>
          <dd class="mono small">{t.id}</dd>
          {t.started_at ? (
            <>
              <dt>Started</dt>
              <dd class="mono small">{t.started_at}</dd>
            </>
          ) : null}
          {t.finished_at ? (
            <>
              <dt>Finished</dt>
              <dd class="mono small">{t.finished_at}</dd>
            </>
          ) : null}
        </dl>
        {t.state_info ? <Json label="state_info" value={t.state_info} /> : null}
        {acts.length === 1 ? <Json label="input" value={pretty(acts[0].input)} /> : null}
        <Json label="result" value={pretty(t.result)} />
        <Json label="published" value={pretty(t.published)} />
        <Json label="runtime_context" value={pretty(t.runtime_context)} />
        {acts.length ? (
          <details open class="json">
            <summary>action executions ({acts.length})</summary>
            <table class="list small">
              <thead>
                <tr>
                  <th>ID</th>
                  <th>Action</th>
                  <th>State</th>
                  <th>Input</th>
                  <th>Output</th>
                </tr>
              </thead>
              <tbody>
                {acts.map((a) => (
                  <tr key={a.id}>
                    <td class="mono">{shortId(a.id)}</td>
                    <td>{a.name}</td>
                    <td>
                      <StateBadge state={a.state} />
                    </td>
                    <td>
                      <pre>{pretty(a.input)}</pre>
                    </td>
                    <td>
                      <pre>{pretty(a.output)}</pre>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ) : null}
      </div>
    </Section>
  );
}
