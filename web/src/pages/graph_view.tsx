// The live graph of one execution: the tasks and transitions of its
// workflow's definition, each node coloured by the state of its (latest)
// task execution, with-items progress on the node, a sub-workflow task
// opening its own execution's graph in place.
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, type Execution, type Task, type Workflow } from "../api";
import { ErrorBox, message, useDebounced } from "../common";
import type { BoraEvent } from "../events";
import { buildGraph, shortCondition, workflowSpec, type GraphEdge, type GraphNode, type WorkflowGraph } from "../graph";

export type EventBus = { on: (fn: (e: BoraEvent) => void) => () => void };

const POLL_MS = 1000;

// The latest task execution of each task name (a task may run again: loops,
// rerun).
function latestByName(tasks: Task[]): Map<string, Task> {
  const m = new Map<string, Task>();
  for (const t of [...tasks].sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0)))
    m.set(t.name, t);
  return m;
}

// Bora's `items` field of a with-items task (Mistral's runtime_context
// shows its capacity only).
function progress(t: Task | undefined): string {
  const wi = t?.items;
  return wi && typeof wi.count === "number" ? `${wi.done ?? 0}/${wi.count}` : "";
}

export function ExecutionGraph({
  executionId,
  bus,
  selected,
  onSelect,
  depth = 0,
}: {
  executionId: string;
  bus: EventBus;
  selected?: string;
  onSelect: (t: Task) => void;
  depth?: number;
}) {
  const [ex, setEx] = useState<Execution | null>(null);
  const [graph, setGraph] = useState<WorkflowGraph | null>(null);
  const [tasks, setTasks] = useState<Map<string, Task>>(new Map());
  const [error, setError] = useState("");
  const [expanded, setExpanded] = useState<Set<string>>(new Set());

  const loadTasks = () =>
    api<{ tasks: Task[] }>("GET", `/v2/executions/${executionId}/tasks`).then(
      (r) => setTasks(latestByName(r.tasks)),
      (e) => setError(message(e)),
    );
  const reloadTasks = useDebounced(loadTasks, 150);

  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const e = await api<Execution>("GET", `/v2/executions/${executionId}`);
        if (!live) return;
        setEx(e);
        const wf = await api<Workflow>("GET", `/v2/workflows/${e.workflow_id}`);
        const [name, spec] = workflowSpec(wf.definition, e.workflow_name);
        if (live) setGraph(buildGraph(spec, name));
      } catch (err) {
        if (live) setError(message(err));
      }
    })();
    loadTasks();
    return bus.on((e) => {
      if (e.execution_id !== executionId) return;
      if (e.task_execution_id) {
        // The event's payload is the task as it is now: colour at once, then
        // read the rest (runtime context, with-items progress).
        setTasks((cur) => {
          const next = new Map(cur);
          const old = next.get(e.data.name);
          if (!old || old.id === e.data.id || old.created_at <= e.data.created_at)
            next.set(e.data.name, { ...(old ?? {}), ...(e.data as Task) });
          return next;
        });
        reloadTasks();
      } else {
        setEx((cur) => (cur ? { ...cur, state: e.data.state ?? cur.state, state_info: e.data.state_info ?? null } : cur));
        reloadTasks();
      }
    });
  }, [executionId]);

  // With-items progress is not an event of its own: while such a task
  // runs, it is read once a second.
  const running = [...tasks.values()].some((t) => t.state === "RUNNING" && progress(t));
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(loadTasks, POLL_MS);
    return () => clearInterval(timer);
  }, [running, executionId]);

  const toggle = (name: string) =>
    setExpanded((cur) => {
      const next = new Set(cur);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  if (error) return <ErrorBox error={error} />;
  if (!graph || !ex) return <p class="muted">Loading graph…</p>;
  return (
    <div class="graph-box" data-execution-id={executionId} data-state={ex.state} data-depth={depth}>
      <div class="graph-title">
        <strong>{graph.name}</strong> <span class="muted small">({graph.type})</span>
      </div>
      <GraphSvg graph={graph} tasks={tasks} selected={selected} onSelect={onSelect} expanded={expanded} onToggle={toggle} />
      {[...expanded].map((name) => {
        const t = tasks.get(name);
        return t ? <SubExecutions key={t.id} task={t} bus={bus} selected={selected} onSelect={onSelect} depth={depth + 1} /> : null;
      })}
    </div>
  );
}

function SubExecutions({ task, bus, selected, onSelect, depth }: { task: Task; bus: EventBus; selected?: string; onSelect: (t: Task) => void; depth: number }) {
  const [ids, setIds] = useState<string[] | null>(null);
  const reload = useDebounced(
    () =>
      api<{ executions: Execution[] }>("GET", `/v2/executions?task_execution_id=${task.id}`).then((r) =>
        setIds(r.executions.map((x) => x.id)),
      ),
    100,
  );
  useEffect(() => {
    reload();
    // A sub-workflow launched later (a with-items of workflows): listed then.
    return bus.on((e) => {
      if (e.event === "WORKFLOW_LAUNCHED" && e.data.task_execution_id === task.id) reload();
    });
  }, [task.id]);
  if (ids === null) return <p class="muted">Loading sub-workflow…</p>;
  return (
    <div class="sub-executions" data-task={task.name}>
      <div class="muted small">sub-workflow of task {task.name}</div>
      {ids.length === 0 ? <p class="muted">not started yet</p> : null}
      {ids.map((id) => (
        <ExecutionGraph key={id} executionId={id} bus={bus} selected={selected} onSelect={onSelect} depth={depth} />
      ))}
    </div>
  );
}

const EDGE_COLOURS: Record<string, string> = {
  "on-success": "#2e9d55",
  "on-error": "#d64545",
  "on-complete": "#3a78c9",
  requires: "#7a8290",
};

function GraphSvg({
  graph,
  tasks,
  selected,
  onSelect,
  expanded,
  onToggle,
}: {
  graph: WorkflowGraph;
  tasks: Map<string, Task>;
  selected?: string;
  onSelect: (t: Task) => void;
  expanded: Set<string>;
  onToggle: (name: string) => void;
}) {
  const markers = useMemo(
    () =>
      Object.entries(EDGE_COLOURS).map(([kind, colour]) => (
        <marker id={`arrow-${kind}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill={colour} />
        </marker>
      )),
    [],
  );
  return (
    <div class="graph-scroll">
      <svg class="graph" width={graph.width} height={graph.height} viewBox={`0 0 ${graph.width} ${graph.height}`} role="img" aria-label={`graph of ${graph.name}`}>
        <defs>{markers}</defs>
        {graph.edges.map((e, i) => (
          <Edge key={i} edge={e} />
        ))}
        {graph.nodes.map((n) => (
          <Node key={n.name} node={n} task={tasks.get(n.name)} selected={selected} onSelect={onSelect} expanded={expanded.has(n.name)} onToggle={onToggle} />
        ))}
      </svg>
    </div>
  );
}

function Edge({ edge }: { edge: GraphEdge }) {
  const d = edge.points.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
  const colour = EDGE_COLOURS[edge.kind];
  return (
    <g class={`edge edge-${edge.kind}`} data-from={edge.from} data-to={edge.to} data-kind={edge.kind}>
      <path d={d} fill="none" stroke={colour} stroke-width="1.6" stroke-dasharray={edge.kind === "requires" ? "4 3" : undefined} marker-end={`url(#arrow-${edge.kind})`} />
      {edge.condition && edge.labelX !== undefined ? (
        <text class="edge-label" x={edge.labelX} y={(edge.labelY ?? 0) + 4} text-anchor="middle" fill={colour}>
          <title>{edge.condition}</title>
          {shortCondition(edge.condition)}
        </text>
      ) : null}
    </g>
  );
}

function Node({
  node,
  task,
  selected,
  onSelect,
  expanded,
  onToggle,
}: {
  node: GraphNode;
  task?: Task;
  selected?: string;
  onSelect: (t: Task) => void;
  expanded: boolean;
  onToggle: (name: string) => void;
}) {
  const x = node.x - node.width / 2;
  const y = node.y - node.height / 2;
  if (node.kind === "command") {
    return (
      <g class="node command" data-task={node.name}>
        <rect x={x} y={y} width={node.width} height={node.height} rx={16} />
        <text x={node.x} y={node.y + 4} text-anchor="middle">
          {node.name}
        </text>
      </g>
    );
  }
  const state = task?.state ?? "NOT_RUN";
  const p = progress(task);
  const what = node.workflow ? "⤷ " + node.workflow : node.action ?? "";
  return (
    <g
      class={`node task state-${state}${task && task.id === selected ? " selected" : ""}${task ? " clickable" : ""}`}
      data-task={node.name}
      data-state={state}
      data-progress={p || undefined}
      onClick={() => task && onSelect(task)}
    >
      <title>{`${node.name}: ${state}${task?.state_info ? "\n" + task.state_info : ""}`}</title>
      <rect x={x} y={y} width={node.width} height={node.height} rx={6} />
      <text class="node-name" x={x + 10} y={y + 19}>
        {node.name.length > 22 ? node.name.slice(0, 21) + "…" : node.name}
      </text>
      <text class="node-sub" x={x + 10} y={y + 37}>
        {(what.length > 20 ? what.slice(0, 19) + "…" : what) + (node.join ? `  join:${node.join}` : "")}
      </text>
      {p ? (
        <text class="node-progress" x={x + node.width - 8} y={y + 37} text-anchor="end">
          {p}
        </text>
      ) : null}
      {node.join ? <path class="join-mark" d={`M${x - 6},${node.y} l6,-6 l6,6 l-6,6 z`} /> : null}
      {node.workflow && task ? (
        <g
          class="expand"
          data-expand={node.name}
          onClick={(ev) => {
            ev.stopPropagation();
            onToggle(node.name);
          }}
        >
          <rect x={x + node.width - 24} y={y + 4} width={18} height={16} rx={3} />
          <text x={x + node.width - 15} y={y + 16} text-anchor="middle">
            {expanded ? "−" : "+"}
          </text>
        </g>
      ) : null}
    </g>
  );
}
