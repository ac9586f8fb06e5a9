// The web UI in a real browser (issue 17 part 5): Debian's chromium,
// headless, driven by puppeteer-core (from web/node_modules; no browser is
// downloaded) against the built `bora` started here on a loopback port with
// its data in a temporary folder. Every wait is bounded; the whole run is
// bounded by DEADLINE_MS. Screenshots of the main pages go to
// $BORA_UI_ARTIFACTS (the build directory under CTest).
//
//   BORA_BINARY=build/src/cli/bora node test/browser/ui_browser_test.mjs
//
// Exit codes: 0 passed, 1 failed, 77 skipped (no chromium, or a bora built
// without its UI).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BORA = process.env.BORA_BINARY ?? join(ROOT, "build/src/cli/bora");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = process.env.BORA_UI_ARTIFACTS ?? join(ROOT, "build/test/browser/screenshots");
const DEADLINE_MS = 120_000;
const WAIT_MS = 15_000; // any one wait

function skip(why) {
  console.log("SKIP: " + why);
  process.exit(77);
}
if (!existsSync(CHROMIUM)) skip(`no chromium at ${CHROMIUM} (Debian package chromium; scripts/install-deps.sh --with-test)`);
let puppeteer;
try {
  puppeteer = createRequire(join(ROOT, "web/package.json"))("puppeteer-core");
} catch {
  skip("puppeteer-core is not installed in web/node_modules (npm ci in web/; the build does it with BORA_WITH_UI=ON)");
}

const tmp = mkdtempSync(join(tmpdir(), "bora-ui-"));
let server;
let browser;
let flaky;
let current; // the page, for a screenshot of a failed step
const started = Date.now();
const failures = [];

function cleanup() {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  flaky?.close();
  rmSync(tmp, { recursive: true, force: true });
}
const overall = setTimeout(() => {
  console.error(`FAIL: the whole run took over ${DEADLINE_MS / 1000} s`);
  cleanup();
  process.exit(1);
}, DEADLINE_MS);

function startBora() {
  return new Promise((res, rej) => {
    server = spawn(BORA, ["server", "--host", "127.0.0.1", "--port", "0", "--db", "sqlite:///" + join(tmp, "bora.db")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => rej(new Error("bora did not start in 30 s:\n" + err)), 30_000);
    server.stderr.on("data", (d) => (err += d));
    server.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1].replace(/\/v2$/, ""));
      }
    });
    server.on("exit", (code) => rej(new Error(`bora exited (${code}):\n${err}`)));
  });
}

let BASE;
async function api(method, path, body) {
  const init = { method, headers: {} };
  if (typeof body === "string") {
    init.body = body;
    init.headers["Content-Type"] = "text/plain";
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const r = await fetch(BASE + path, init);
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function until(what, fn, ms = WAIT_MS) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${last})`);
}

// Every part of a page renders from its own request or from the event
// stream, so an element another selector waited for says nothing about this
// one: wait for the element itself (enabled) before clicking it.
async function clickWhenReady(page, selector) {
  await page.waitForSelector(`:is(${selector}):not([disabled])`, { visible: true });
  await page.click(selector);
}

function check(cond, what) {
  if (!cond) throw new Error("expected " + what);
}

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failures.push(name);
    console.log(`FAIL ${name}: ${e.stack ?? e}`);
    await current?.screenshot({ path: join(ARTIFACTS, `failed-${failures.length}.png`) }).catch(() => {});
  }
}

// 20 tasks: a fan-out, a join of three, a with-items of six, a join of
// two, a conditional transition, on-complete and on-error edges.
const BIG = `version: '2.0'
big:
  input:
    - n: 3
  tasks:
    t01:
      action: std.sleep seconds=2
      on-success: [t02, t03, t04]
      on-error: [fail]
    t02:
      action: std.noop
      on-success: [t05]
    t03:
      action: std.noop
      on-success: [t06]
    t04:
      action: std.noop
      on-success:
        - t07: <% $.n > 0 %>
    t05:
      action: std.noop
      on-success: [t08]
    t06:
      action: std.noop
      on-success: [t08]
    t07:
      action: std.noop
      on-success: [t08]
    t08:
      join: all
      action: std.noop
      on-success: [t09]
    t09:
      with-items: i in <% range(6) %>
      concurrency: 3
      action: std.sleep seconds=1
      on-success: [t10]
      on-error: [fail]
    t10:
      action: std.noop
      on-success: [t11, t12]
    t11:
      action: std.noop
      on-success: [t13]
    t12:
      action: std.noop
      on-success: [t14]
    t13:
      action: std.noop
      on-success: [t15]
    t14:
      action: std.noop
      on-success: [t15]
    t15:
      join: 2
      action: std.noop
      on-success: [t16]
    t16:
      action: std.noop
      on-complete: [t17]
    t17:
      action: std.noop
      on-success: [t18]
    t18:
      action: std.sleep seconds=1
      on-success: [t19]
    t19:
      action: std.noop
      on-success: [t20]
    t20:
      action: std.echo output="done"
`;

const GREET = `version: '2.0'
greet:
  input:
    - name
    - times: 2
  tasks:
    hello:
      action: std.echo output="hello <% $.name %> x<% $.times %>"
`;

const WAITS = `version: '2.0'
waits:
  tasks:
    hold:
      action: std.async_noop
`;

const FLAKY = `version: '2.0'
flaky:
  input:
    - url
  tasks:
    call:
      action: std.http url=<% $.url %>
`;

const PARENT = `version: '2.0'
parent:
  tasks:
    child:
      workflow: greet name="sub"
      on-success: [after]
    after:
      action: std.noop
`;

const REVERSE = `version: '2.0'
backwards:
  type: reverse
  tasks:
    a:
      action: std.noop
    b:
      action: std.noop
    c:
      action: std.noop
      requires: [a, b]
`;

// Line 8, column 7: the misspelled attribute.
const BROKEN = `version: '2.0'
broken:
  tasks:
    first:
      action: std.noop
      on-success: [second]
    second:
      acton: std.noop
`;

async function nodeStates(page) {
  return page.$$eval("svg.graph g.node.task", (gs) => Object.fromEntries(gs.map((g) => [g.dataset.task, g.dataset.state])));
}

async function main() {
  BASE = await startBora();
  const index = await fetch(BASE + "/ui/");
  if (index.status === 404 && (await index.text()).includes("built without")) skip("this bora was built with BORA_WITH_UI=OFF");
  mkdirSync(ARTIFACTS, { recursive: true });
  // A local endpoint failing its first call: the task fails, its rerun passes.
  let calls = 0;
  flaky = http.createServer((req, res) => {
    calls += 1;
    res.writeHead(calls === 1 ? 500 : 200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ call: calls }));
  });
  await new Promise((r) => flaky.listen(0, "127.0.0.1", r));
  const flakyUrl = `http://127.0.0.1:${flaky.address().port}/`;

  const [big] = (await api("POST", "/v2/workflows", BIG)).workflows;
  const [greet] = (await api("POST", "/v2/workflows", GREET)).workflows;
  await api("POST", "/v2/workflows", WAITS);
  await api("POST", "/v2/workflows", FLAKY);
  await api("POST", "/v2/workflows", PARENT);
  await api("POST", "/v2/workflows", REVERSE);

  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1440,900"],
    defaultViewport: { width: 1440, height: 900 },
  });
  const page = await browser.newPage();
  current = page;
  page.setDefaultTimeout(WAIT_MS);
  const consoleErrors = [];
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  const pending = new Map();
  if (process.env.DEBUG_UI) {
    page.on("console", (m) => console.log("     console:", m.type(), m.text()));
    page.on("request", (r) => pending.set(r, Date.now()));
    page.on("requestfinished", (r) => pending.delete(r));
    page.on("requestfailed", (r) => pending.delete(r));
    setInterval(() => {
      const old = [...pending].filter(([, t]) => Date.now() - t > 3000).map(([r]) => r.url());
      if (old.length) console.log("     pending > 3 s:", old.join(" "));
    }, 3000).unref();
  }

  let bigId;
  await step("the executions list loads and updates live when an execution starts through the API", async () => {
    const t0 = Date.now();
    await page.goto(BASE + "/", { waitUntil: "load" }); // a browser at / is sent to /ui/
    check(new URL(page.url()).pathname === "/ui/", "GET / to redirect a browser to /ui/, got " + page.url());
    await page.waitForSelector(".live-live");
    const loaded = Date.now() - t0;
    const timing = await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0];
      return { domContentLoaded: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) };
    });
    console.log(`     load: DOMContentLoaded ${timing.domContentLoaded} ms, load ${timing.load} ms, list live after ${loaded} ms`);
    check(timing.load < 1000, `the page to load in under a second (${timing.load} ms)`);
    bigId = (await api("POST", "/v2/executions", { workflow_id: big.id, input: {} })).id;
    await page.waitForSelector(`tr[data-execution-id="${bigId}"]`);
    await page.screenshot({ path: join(ARTIFACTS, "ui-executions.png") });
  });

  await step("the graph of a 20-task workflow with joins and a with-items renders and its nodes change colour live", async () => {
    await clickWhenReady(page, `tr[data-execution-id="${bigId}"] a`);
    await page.waitForSelector('svg.graph g.node.task[data-task="t20"]');
    const first = await nodeStates(page);
    check(Object.keys(first).length === 20, "20 task nodes, got " + Object.keys(first).length);
    const firstFill = await page.$eval('g.node[data-task="t20"] rect', (r) => getComputedStyle(r).fill);
    check(first.t20 !== "SUCCESS", "t20 not done yet when the graph first showed (" + first.t20 + ")");
    check((await page.$$("svg.graph .join-mark")).length === 2, "two join marks (t08, t15)");
    const labels = await page.$$eval("svg.graph .edge-label", (ts) => ts.map((t) => t.textContent));
    check(labels.some((l) => l.includes("$.n > 0")), "the condition as an edge label, got " + labels);
    const kinds = await page.$$eval("svg.graph g.edge", (es) => [...new Set(es.map((e) => e.dataset.kind))].sort());
    check(JSON.stringify(kinds) === '["on-complete","on-error","on-success"]', "edges of each kind, got " + kinds);
    const seen = new Set();
    let shot = false;
    await until("t20 to turn SUCCESS", async () => {
      const p = await page.$eval('g.node[data-task="t09"]', (g) => g.dataset.progress ?? "");
      if (p) seen.add(p);
      const states = await nodeStates(page);
      if (!shot && states.t09 === "RUNNING") {
        shot = true;
        await page.screenshot({ path: join(ARTIFACTS, "ui-execution-running.png") });
      }
      return states.t20 === "SUCCESS";
    }, 30_000);
    const last = await nodeStates(page);
    check(Object.values(last).every((s) => s === "SUCCESS"), "every node SUCCESS: " + JSON.stringify(last));
    const lastFill = await page.$eval('g.node[data-task="t20"] rect', (r) => getComputedStyle(r).fill);
    check(firstFill !== lastFill, `t20's colour to change (${firstFill} -> ${lastFill})`);
    const progress = await page.$eval('g.node[data-task="t09"]', (g) => g.dataset.progress);
    check(progress === "6/6", "with-items progress 6/6 on t09, got " + progress);
    console.log(`     t09 progress seen: ${[...seen].join(" ")}; t20 ${first.t20} -> ${last.t20}`);
    await page.waitForSelector('#execution[data-state="SUCCESS"]');
    await clickWhenReady(page, 'g.node[data-task="t09"]');
    await page.waitForSelector('#task-panel[data-task="t09"]');
    await page.screenshot({ path: join(ARTIFACTS, "ui-execution.png") });
  });

  await step("an execution starts from the form made from the workflow's input", async () => {
    await page.goto(`${BASE}/ui/workflows/${greet.id}/start`);
    await page.waitForSelector('#start-form input[name="name"]');
    const placeholder = await page.$eval('#start-form input[name="times"]', (i) => i.placeholder);
    check(placeholder.includes("2"), "the default of 'times' shown, got " + placeholder);
    await page.type('#start-form input[name="name"]', "web");
    await clickWhenReady(page, "#start");
    await page.waitForFunction(() => /\/ui\/executions\/[0-9a-f-]{36}$/.test(location.pathname));
    const id = new URL(page.url()).pathname.split("/").pop();
    const ex = await until("the started execution to succeed", async () => {
      const e = await api("GET", "/v2/executions/" + id);
      return e.state === "SUCCESS" && e;
    });
    check(JSON.parse(ex.input).name === "web", "input {name: web}, got " + ex.input);
    await page.waitForSelector('#execution[data-state="SUCCESS"]');
  });

  await step("pause, resume and cancel from the execution page", async () => {
    const ex = await api("POST", "/v2/executions", { workflow_name: "waits" });
    await page.goto(`${BASE}/ui/executions/${ex.id}`);
    await page.waitForSelector('g.node[data-task="hold"][data-state="RUNNING"]');
    // The graph follows the event stream and the header its own GET: the
    // node can turn RUNNING before the header knows the execution's state,
    // and the buttons appear only with that state.
    await page.waitForSelector('#execution[data-state="RUNNING"]');
    for (const [button, state] of [
      ["#pause", "PAUSED"],
      ["#resume", "RUNNING"],
      ["#cancel", "CANCELLED"],
    ]) {
      await clickWhenReady(page, button);
      await page.waitForSelector(`#execution[data-state="${state}"]`);
      await until(`the API to say ${state}`, async () => (await api("GET", "/v2/executions/" + ex.id)).state === state);
    }
  });

  await step("a failed task is rerun from the page", async () => {
    const ex = await api("POST", "/v2/executions", { workflow_name: "flaky", input: { url: flakyUrl } });
    await page.goto(`${BASE}/ui/executions/${ex.id}`);
    await page.waitForSelector('g.node[data-task="call"][data-state="ERROR"]');
    await page.waitForSelector('#execution[data-state="ERROR"]');
    await clickWhenReady(page, 'g.node[data-task="call"]');
    await page.waitForSelector('#task-panel[data-state="ERROR"] ~ * , #rerun');
    await clickWhenReady(page, "#rerun");
    await page.waitForSelector('g.node[data-task="call"][data-state="SUCCESS"]');
    await page.waitForSelector('#execution[data-state="SUCCESS"]');
    check(calls === 2, "the endpoint called twice, got " + calls);
  });

  await step("a sub-workflow opens in place; a reverse workflow shows what each task requires", async () => {
    const ex = await api("POST", "/v2/executions", { workflow_name: "parent" });
    await page.goto(`${BASE}/ui/executions/${ex.id}`);
    await page.waitForSelector('#execution[data-state="SUCCESS"]');
    await clickWhenReady(page, '[data-expand="child"]');
    await page.waitForSelector('.sub-executions[data-task="child"] .graph-box[data-depth="1"] g.node[data-task="hello"][data-state="SUCCESS"]');
    await clickWhenReady(page, '.sub-executions g.node[data-task="hello"]');
    await page.waitForSelector('#task-panel[data-task="hello"] [data-field="result"]');
    const result = await page.$eval('#task-panel [data-field="result"] pre', (p) => p.textContent);
    check(result.includes("hello sub x2"), "the sub-workflow task's result, got " + result);
    const rev = await api("POST", "/v2/executions", { workflow_name: "backwards", params: { task_name: "c" } });
    await page.goto(`${BASE}/ui/executions/${rev.id}`);
    await page.waitForSelector('g.node[data-task="c"][data-state="SUCCESS"]');
    const edges = await page.$$eval("svg.graph g.edge", (es) => es.map((e) => `${e.dataset.from}>${e.dataset.to}:${e.dataset.kind}`).sort());
    check(JSON.stringify(edges) === '["a>c:requires","b>c:requires"]', "requires edges a>c, b>c, got " + edges);
  });

  await step("a definition with an error shows it at its line and column while editing", async () => {
    await page.goto(`${BASE}/ui/workflows/new`);
    await page.waitForSelector("#definition");
    await page.$eval(
      "#definition",
      (t, text) => {
        t.value = text;
        t.dispatchEvent(new Event("input", { bubbles: true }));
      },
      BROKEN,
    );
    await page.waitForSelector('#problems li[data-line="8"][data-column="7"]');
    await page.waitForSelector('.gutter .bad[data-line="8"]');
    const text = await page.$eval('#problems li[data-line="8"]', (li) => li.textContent);
    check(text.includes("acton"), "the problem names 'acton': " + text);
    await page.screenshot({ path: join(ARTIFACTS, "ui-editor-error.png") });
    await page.$eval(
      "#definition",
      (t) => {
        t.value = t.value.replace("acton", "action");
        t.dispatchEvent(new Event("input", { bubbles: true }));
      },
    );
    await page.waitForSelector(".check-valid");
    check((await page.$$("#problems li")).length === 0, "no problem left once fixed");
  });

  await step("workflows, workbooks, actions, environments and cron triggers pages list what the API has", async () => {
    await api("POST", "/v2/environments", { name: "env1", variables: JSON.stringify({ a: 1 }) });
    await api("POST", "/v2/cron_triggers", { name: "nightly", workflow_name: "greet", pattern: "0 3 * * *", workflow_input: JSON.stringify({ name: "n" }) });
    for (const [path, selector] of [
      ["/ui/workflows", 'tr[data-name="big"]'],
      ["/ui/actions", 'tr[data-name="std.echo"]'],
      ["/ui/environments", 'tr[data-name="env1"]'],
      ["/ui/cron_triggers", 'tr[data-name="nightly"]'],
      ["/ui/workbooks", "#workbooks"],
    ]) {
      await page.goto(BASE + path);
      await page.waitForSelector(selector);
    }
    await page.goto(BASE + "/ui/workflows");
    await page.waitForSelector('tr[data-name="big"]');
    await page.screenshot({ path: join(ARTIFACTS, "ui-workflows.png") });
  });

  check(consoleErrors.length === 0, "no error in the page: " + consoleErrors.join("\n"));
}

let code = 0;
try {
  await main();
  if (failures.length) code = 1;
} catch (e) {
  console.log("FAIL: " + (e.stack ?? e));
  code = 1;
} finally {
  await browser?.close().catch(() => {});
  cleanup();
  clearTimeout(overall);
}
console.log(`${failures.length ? failures.length + " step(s) failed" : code ? "failed" : "all steps passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${ARTIFACTS}`);
process.exit(code);
