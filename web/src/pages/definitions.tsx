// Workflows, workbooks and ad-hoc actions: lists, and their YAML in an
// editor that validates as you type (POST /v2/<kind>/validate) and shows
// each problem at its line:column.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type Workflow } from "../api";
import { ErrorBox, Section, message, useDebounced, useLoad } from "../common";
import { linkProps, navigate } from "../router";

export type Kind = "workflows" | "workbooks" | "actions";

const TEMPLATES: Record<Kind, string> = {
  workflows: "version: '2.0'\n\nmy_workflow:\n  input:\n    - name\n  tasks:\n    hello:\n      action: std.echo output=\"Hello, <% $.name %>\"\n",
  workbooks: "version: '2.0'\n\nname: my_workbook\n\nworkflows:\n  main:\n    tasks:\n      hello:\n        action: std.noop\n",
  actions: "version: '2.0'\n\nmy_action:\n  base: std.echo\n  base-input:\n    output: <% $.text %>\n  input:\n    - text\n",
};

interface Row {
  id?: string;
  name: string;
  namespace?: string;
  scope?: string;
  input?: string;
  is_system?: boolean;
  updated_at?: string | null;
  created_at?: string;
  definition?: string;
}

// What identifies a definition in its URL: workflows and actions by id
// (unique across namespaces), workbooks by name.
function key(kind: Kind, r: Row): string {
  return kind === "workbooks" ? r.name : r.id ?? r.name;
}

export function DefinitionList({ kind }: { kind: Kind }) {
  const list = useLoad(() => api<Record<string, Row[]>>("GET", `/v2/${kind}`), [kind]);
  const rows = list.data?.[kind] ?? [];
  const title = kind[0].toUpperCase() + kind.slice(1);
  return (
    <Section
      title={title}
      actions={
        <a class="button" {...linkProps(`/${kind}/new`)}>
          New
        </a>
      }
    >
      <ErrorBox error={list.error} />
      <table class="list" id={kind}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Namespace</th>
            <th>Scope</th>
            {kind !== "workbooks" ? <th>Input</th> : null}
            <th>Updated</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={key(kind, r)} data-name={r.name}>
              <td>
                <a {...linkProps(`/${kind}/${encodeURIComponent(key(kind, r))}`)}>{r.name}</a>
                {r.is_system ? <span class="muted small"> std</span> : null}
              </td>
              <td>{r.namespace ?? ""}</td>
              <td>{r.scope ?? ""}</td>
              {kind !== "workbooks" ? <td class="mono small">{r.input ?? ""}</td> : null}
              <td class="mono small">{r.updated_at ?? r.created_at ?? ""}</td>
              <td>
                {kind === "workflows" ? (
                  <a class="button small" {...linkProps(`/workflows/${r.id}/start`)}>
                    Start
                  </a>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export interface Problem {
  line?: number;
  column?: number;
  text: string;
}

// Bora's validation message: Mistral's words for the first problem, then
// Bora's "6:20: path: what"; with several, a first line "<Mistral's words>
// (n problems):" or "Invalid DSL: n problems:" and one problem a line
// (docs/API.md). A line's line:column is the first "L:C: " in it.
export function problems(error: string): Problem[] {
  const out: Problem[] = [];
  for (const raw of error.split("\n")) {
    const line = raw.trim();
    if (!line || /(?:^Invalid DSL: \d+ problems:|\(\d+ problems\):)$/.test(line)) continue;
    const m = /(?:^|\s)(\d+):(\d+): (.*)$/.exec(line);
    if (m) out.push({ line: Number(m[1]), column: Number(m[2]), text: m[3] });
    else out.push({ text: line });
  }
  return out;
}

export function DefinitionEditor({ kind, id }: { kind: Kind; id: string }) {
  const isNew = id === "new";
  const [text, setText] = useState<string | null>(isNew ? TEMPLATES[kind] : null);
  const [readOnly, setReadOnly] = useState(false);
  const [found, setFound] = useState<Row | null>(null);
  const [problemsList, setProblems] = useState<Problem[]>([]);
  const [checked, setChecked] = useState<"" | "checking" | "valid" | "invalid">("");
  const [error, setError] = useState("");
  const [saved, setSaved] = useState("");

  useEffect(() => {
    if (isNew) return;
    api<Row>("GET", `/v2/${kind}/${encodeURIComponent(id)}`).then(
      (r) => {
        setFound(r);
        setText(r.definition ?? "");
        setReadOnly(!!r.is_system || !r.definition);
      },
      (e) => setError(message(e)),
    );
  }, [kind, id]);

  const validate = useDebounced(async () => {
    if (text === null) return;
    setChecked("checking");
    try {
      const r = await api<{ valid: boolean; error?: string }>("POST", `/v2/${kind}/validate`, text);
      setProblems(r.valid ? [] : problems(r.error ?? "invalid"));
      setChecked(r.valid ? "valid" : "invalid");
    } catch (e) {
      setProblems([{ text: message(e) }]);
      setChecked("invalid");
    }
  }, 300);
  useEffect(() => {
    if (text !== null && !readOnly) validate();
  }, [text, readOnly]);

  const save = async () => {
    if (text === null) return;
    try {
      const r = await api<any>(isNew ? "POST" : "PUT", `/v2/${kind}`, text);
      setError("");
      setSaved(new Date().toLocaleTimeString());
      const first: Row | undefined = Array.isArray(r?.[kind]) ? r[kind][0] : r;
      if (isNew && first) navigate(`/${kind}/${encodeURIComponent(key(kind, first))}`);
    } catch (e) {
      setError(message(e));
    }
  };

  const remove = async () => {
    if (!found || !confirm(`Delete ${found.name}?`)) return;
    try {
      await api("DELETE", `/v2/${kind}/${encodeURIComponent(key(kind, found))}`);
      navigate(`/${kind}`);
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <Section
      title={isNew ? `New ${kind.slice(0, -1)}` : found?.name ?? id}
      actions={
        <>
          {!readOnly ? (
            <span class={`check check-${checked}`} id="validity">
              {checked === "valid" ? "✓ valid" : checked === "invalid" ? `✗ ${problemsList.length} problem(s)` : checked}
            </span>
          ) : null}
          {kind === "workflows" && found?.id ? (
            <a class="button" {...linkProps(`/workflows/${found.id}/start`)}>
              Start
            </a>
          ) : null}
          {!readOnly ? (
            <button id="save" onClick={save}>
              {isNew ? "Create" : "Save"}
            </button>
          ) : null}
          {!readOnly && !isNew ? (
            <button class="danger" onClick={remove}>
              Delete
            </button>
          ) : null}
        </>
      }
    >
      <ErrorBox error={error} />
      {saved ? <p class="muted small">Saved at {saved}.</p> : null}
      {text === null ? <p class="muted">Loading…</p> : <YamlEditor value={text} readOnly={readOnly} problems={problemsList} onChange={setText} />}
      {problemsList.length ? (
        <ul class="problems" id="problems">
          {problemsList.map((p) => (
            <li data-line={p.line} data-column={p.column}>
              {p.line ? <span class="mono">line {p.line}, column {p.column}: </span> : null}
              {p.text}
            </li>
          ))}
        </ul>
      ) : null}
      {found && kind === "workflows" ? <WorkflowFacts wf={found as unknown as Workflow} /> : null}
    </Section>
  );
}

function WorkflowFacts({ wf }: { wf: Workflow }) {
  return (
    <p class="muted small">
      id <span class="mono">{wf.id}</span> · input <span class="mono">{wf.input || "(none)"}</span>
    </p>
  );
}

// A textarea with a gutter of line numbers; lines with a problem are
// marked in the gutter and behind the text.
function YamlEditor({ value, readOnly, problems, onChange }: { value: string; readOnly: boolean; problems: Problem[]; onChange: (v: string) => void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split("\n").length;
  const bad = new Map<number, string>();
  for (const p of problems) if (p.line) bad.set(p.line, (bad.get(p.line) ? bad.get(p.line) + "\n" : "") + `${p.column}: ${p.text}`);
  return (
    <div class="editor">
      <div class="gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => (
          <div class={bad.has(i + 1) ? "bad" : undefined} data-line={i + 1} title={bad.get(i + 1)}>
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        ref={area}
        id="definition"
        spellcheck={false}
        readOnly={readOnly}
        value={value}
        onInput={(e) => onChange((e.target as HTMLTextAreaElement).value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = (e.target as HTMLTextAreaElement).scrollTop;
        }}
        onKeyDown={(e) => {
          // Tab indents by two spaces (YAML has no tabs).
          if (e.key !== "Tab" || readOnly) return;
          e.preventDefault();
          const t = e.target as HTMLTextAreaElement;
          const s = t.selectionStart;
          onChange(t.value.slice(0, s) + "  " + t.value.slice(t.selectionEnd));
          requestAnimationFrame(() => t.setSelectionRange(s + 2, s + 2));
        }}
      />
    </div>
  );
}
