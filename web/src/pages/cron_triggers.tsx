// Cron triggers: the list (next execution, remaining count), creating one
// for a workflow with a pattern and input, deleting.
import { useState } from "preact/hooks";
import { api, pretty } from "../api";
import { ErrorBox, Section, message, useLoad } from "../common";

interface CronTrigger {
  name: string;
  workflow_name: string;
  pattern: string | null;
  workflow_input: string;
  next_execution_time: string | null;
  remaining_executions: number | null;
  first_execution_time: string | null;
}

export function CronTriggersPage() {
  const list = useLoad(() => api<{ cron_triggers: CronTrigger[] }>("GET", "/v2/cron_triggers"), []);
  const [form, setForm] = useState({ name: "", workflow_name: "", pattern: "*/5 * * * *", workflow_input: "{}", remaining_executions: "" });
  const [error, setError] = useState("");
  const field = (k: keyof typeof form) => ({
    value: form[k],
    onInput: (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value }),
  });

  const create = async (ev: Event) => {
    ev.preventDefault();
    try {
      JSON.parse(form.workflow_input);
    } catch (e) {
      setError("input: " + message(e));
      return;
    }
    try {
      await api("POST", "/v2/cron_triggers", {
        name: form.name,
        workflow_name: form.workflow_name,
        pattern: form.pattern,
        workflow_input: form.workflow_input,
        ...(form.remaining_executions ? { remaining_executions: Number(form.remaining_executions) } : {}),
      });
      setError("");
      list.reload();
    } catch (e) {
      setError(message(e));
    }
  };
  const remove = async (name: string) => {
    try {
      await api("DELETE", "/v2/cron_triggers/" + encodeURIComponent(name));
      list.reload();
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <>
      <Section title="Cron triggers">
        <ErrorBox error={list.error} />
        <table class="list" id="cron_triggers">
          <thead>
            <tr>
              <th>Name</th>
              <th>Workflow</th>
              <th>Pattern</th>
              <th>Input</th>
              <th>Next (UTC)</th>
              <th>Remaining</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(list.data?.cron_triggers ?? []).map((c) => (
              <tr key={c.name} data-name={c.name}>
                <td>{c.name}</td>
                <td>{c.workflow_name}</td>
                <td class="mono">{c.pattern ?? ""}</td>
                <td>
                  <pre>{pretty(c.workflow_input)}</pre>
                </td>
                <td class="mono small">{c.next_execution_time ?? ""}</td>
                <td>{c.remaining_executions ?? "∞"}</td>
                <td>
                  <button class="danger small" onClick={() => remove(c.name)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="New cron trigger">
        <form class="form" onSubmit={create}>
          <label>
            <span>name</span>
            <input required {...field("name")} />
          </label>
          <label>
            <span>workflow name</span>
            <input required {...field("workflow_name")} />
          </label>
          <label>
            <span>pattern</span>
            <input required class="mono" {...field("pattern")} />
          </label>
          <label>
            <span>input (JSON)</span>
            <input class="mono" {...field("workflow_input")} />
          </label>
          <label>
            <span>remaining executions</span>
            <input type="number" min="1" {...field("remaining_executions")} />
          </label>
          <ErrorBox error={error} />
          <button type="submit">Create</button>
        </form>
      </Section>
    </>
  );
}
