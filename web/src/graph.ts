// A workflow definition as a graph: nodes are the tasks of the definition,
// edges its transitions (on-success, on-error, on-complete, with their
// conditions) or, for a reverse workflow, its `requires`. Laid out by dagre.
import dagre from "@dagrejs/dagre";
import { load } from "js-yaml";

export type EdgeKind = "on-success" | "on-error" | "on-complete" | "requires";

export interface GraphNode {
  name: string;
  kind: "task" | "command"; // command: an engine command a transition goes to (fail, succeed, pause)
  action?: string;
  workflow?: string;
  join?: string;
  withItems?: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  condition?: string;
  points: { x: number; y: number }[];
  labelX?: number;
  labelY?: number;
}

export interface WorkflowGraph {
  name: string;
  type: "direct" | "reverse";
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

const NODE_W = 176;
const NODE_H = 50;
const COMMANDS = new Set(["fail", "succeed", "pause", "noop"]);
const TRANSITIONS: EdgeKind[] = ["on-success", "on-error", "on-complete"];
const NOT_WORKFLOWS = new Set(["version", "name", "description", "tags", "actions"]);

// The spec of one workflow from a definition text: a workflow document
// ("version: '2.0'" and one key per workflow) or a workbook (its
// `workflows:`); `name` picks one (a workbook's "wb.wf" matches "wf").
export function workflowSpec(definition: string, name?: string): [string, Record<string, any>] {
  const doc = load(definition) as Record<string, any>;
  if (!doc || typeof doc !== "object") throw new Error("the definition is not a YAML mapping");
  const pool: Record<string, any> =
    doc.workflows && typeof doc.workflows === "object" ? doc.workflows : doc;
  const candidates = Object.entries(pool).filter(
    ([k, v]) => !NOT_WORKFLOWS.has(k) && v && typeof v === "object" && !Array.isArray(v),
  );
  const short = name?.includes(".") ? name.slice(name.lastIndexOf(".") + 1) : name;
  const found = candidates.find(([k]) => k === name || k === short) ?? candidates[0];
  if (!found) throw new Error("no workflow in the definition");
  return [found[0], found[1]];
}

interface Transition {
  to: string;
  condition?: string;
}

// Mistral's forms: "t", ["t", {"t2": "<% cond %>"}], {"t": cond}, and the
// advanced form {publish: ..., next: [...]}. A target may carry engine
// command parameters ("fail msg='...'").
function transitions(v: unknown): Transition[] {
  if (v === null || v === undefined) return [];
  if (typeof v === "string") return [{ to: v }];
  if (Array.isArray(v)) return v.flatMap((item) => transitions(item));
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("next" in o || "publish" in o || "publish-on-error" in o) return transitions(o.next);
    return Object.entries(o).map(([to, c]) => ({ to, condition: c === null ? undefined : String(c) }));
  }
  return [];
}

function targetName(to: string): string {
  return to.trim().split(/\s+/)[0];
}

function asText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map(String).join(", ") : String(v);
}

export function buildGraph(spec: Record<string, any>, name: string): WorkflowGraph {
  const type = spec.type === "reverse" ? "reverse" : "direct";
  const tasks: Record<string, any> = spec.tasks && typeof spec.tasks === "object" ? spec.tasks : {};
  const defaults: Record<string, any> = spec["task-defaults"] ?? {};
  const nodes = new Map<string, GraphNode>();
  const edges: Omit<GraphEdge, "points">[] = [];
  for (const [taskName, t0] of Object.entries(tasks)) {
    const t = t0 ?? {};
    nodes.set(taskName, {
      name: taskName,
      kind: "task",
      action: t.action ? String(t.action).split(/\s+/)[0] : undefined,
      workflow: t.workflow ? String(t.workflow).split(/\s+/)[0] : undefined,
      join: t.join !== undefined ? String(t.join) : undefined,
      withItems: asText(t["with-items"]),
      x: 0,
      y: 0,
      width: NODE_W,
      height: NODE_H,
    });
  }
  for (const [taskName, t0] of Object.entries(tasks)) {
    const t = t0 ?? {};
    if (type === "reverse") {
      const req = t.requires;
      for (const r of Array.isArray(req) ? req : req ? [req] : [])
        if (nodes.has(String(r))) edges.push({ from: String(r), to: taskName, kind: "requires" });
      continue;
    }
    for (const kind of TRANSITIONS) {
      // task-defaults' transitions apply to tasks that have none of their own.
      const list = transitions(t[kind] !== undefined ? t[kind] : defaults[kind]);
      for (const tr of list) {
        const to = targetName(tr.to);
        if (!nodes.has(to)) {
          if (!COMMANDS.has(to) || to === "noop") continue;
          nodes.set(to, { name: to, kind: "command", x: 0, y: 0, width: 80, height: 32 });
        }
        edges.push({ from: taskName, to, kind, condition: tr.condition });
      }
    }
  }
  return layout(name, type, [...nodes.values()], edges);
}

function layout(name: string, type: "direct" | "reverse", nodes: GraphNode[], edges: Omit<GraphEdge, "points">[]): WorkflowGraph {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 28, ranksep: 46, edgesep: 12, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.name, { width: n.width, height: n.height });
  edges.forEach((e, i) => {
    const label = e.condition ? shortCondition(e.condition) : "";
    g.setEdge(e.from, e.to, { width: label ? label.length * 6.2 : 0, height: label ? 14 : 0, labelpos: "c" }, String(i));
  });
  dagre.layout(g);
  for (const n of nodes) {
    const p = g.node(n.name);
    n.x = p.x;
    n.y = p.y;
  }
  const laid: GraphEdge[] = edges.map((e, i) => {
    const p = g.edge({ v: e.from, w: e.to, name: String(i) }) as any;
    return { ...e, points: p.points ?? [], labelX: p.x, labelY: p.y };
  });
  const gg = g.graph();
  return { name, type, nodes, edges: laid, width: gg.width ?? 0, height: gg.height ?? 0 };
}

// An edge's label: the condition without its expression delimiters, cut.
export function shortCondition(c: string): string {
  const s = c.replace(/^\s*(<%|\{\{)\s*/, "").replace(/\s*(%>|\}\})\s*$/, "");
  return s.length > 36 ? s.slice(0, 35) + "…" : s;
}
