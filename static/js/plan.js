import { openSocket } from "./socket.js";

// The plan editor: live saves and presence on the shared socket; a stale save comes back as a
// conflict with what changed, and the user's own text stays in the editor. Nothing is ever
// overwritten silently. Server content is sanitised HTML (p, br, ul, ol, li, strong, em).

const root = document.getElementById("plan");
const planId = Number(root.dataset.plan);
const me = Number(root.dataset.user);
const connState = document.getElementById("conn-state");
const t = (key) => root.dataset["t" + key.charAt(0).toUpperCase() + key.slice(1)] || key;

let rejoinTimer = null;
const pendingSaves = new Map(); // client_id -> section id
const presence = new Map();     // socket id -> {name, section}

const sectionEl = (id) => root.querySelector(`[data-section="${id}"]`);

function send(frame) {
  return connection.send(frame);
}

function setConn(state) { connState.dataset.state = state; connState.textContent = t(state); }

function setStatus(id, status) {
  for (const el of document.querySelectorAll(`[data-status-for="${id}"]`)) {
    el.className = `status status-${status}`; el.textContent = t(status);
  }
  const section = sectionEl(id);
  if (section) {
    section.dataset.status = status;
    const badge = section.querySelector("[data-status]");
    badge.className = `status status-${status}`; badge.textContent = t(status);
  }
  updateSummary();
}

// Whether I agreed to the current revision: the status only says "akkoord" once every parent has.
function showAgreed(section, agreedBy) {
  const button = section.querySelector("[data-agree]");
  if (button) button.setAttribute("aria-pressed", String((agreedBy || []).includes(me)));
}

function updateSummary() {
  const all = [...document.querySelectorAll(".toc [data-status-for]")];
  const agreed = all.filter((el) => el.classList.contains("status-agreed")).length;
  const counter = document.getElementById("summary-agreed");
  if (counter) counter.textContent = String(agreed);
  const sections = [...root.querySelectorAll("[data-section]")];
  summaryList("required", sections.filter((s) => s.dataset.required === "1" && s.dataset.status !== "agreed"));
  summaryList("disputed", sections.filter((s) => s.dataset.status === "disputed"));
  updateApprove(all.length > 0 && agreed === all.length);
}

function summaryList(name, sections) {
  const alert = document.querySelector(`[data-summary="${name}"]`);
  if (!alert) return;
  alert.querySelector("[data-list]").textContent = sections.map((s) => s.dataset.title).join(", ");
  alert.hidden = sections.length === 0;
}

// Approving the whole plan: possible once every section is agreed; after approving, wait for
// the other parent. A new revision anywhere means approving again.
const approveBox = document.querySelector("[data-approved]");
function updateApprove(complete) {
  if (!approveBox) return;
  const approved = approveBox.dataset.approved === "1";
  const unchanged = approveBox.dataset.unchanged === "1"; // same as the last frozen version
  const button = document.getElementById("approve");
  button.hidden = !complete || approved || unchanged;
  if (button.hidden) button.disabled = false;
  approveBox.querySelector("[data-approve-done]").hidden = !complete || !approved;
  approveBox.querySelector("[data-approve-help]").hidden = complete || unchanged;
  approveBox.querySelector("[data-approve-unchanged]").hidden = !unchanged;
}

function setApproved(approved) {
  if (!approveBox) return;
  approveBox.dataset.approved = approved ? "1" : "0";
  if (!approved) approveBox.dataset.unchanged = "0"; // a new revision: no longer the frozen version
  updateSummary();
}

function editing(section) {
  const editor = section.querySelector("[data-editor]");
  return editor && !editor.hidden;
}

function showSection(frame, { force = false } = {}) {
  const section = sectionEl(frame.id);
  if (!section) return;
  section.dataset.revision = frame.revision;
  setStatus(frame.id, frame.status);
  showAgreed(section, frame.agreed_by);
  const updated = section.querySelector("[data-updated]");
  if (frame.updated_by) {
    updated.textContent = `${t("updated")} ${frame.updated_by.name} · ${new Date(frame.updated_at).toLocaleString(document.documentElement.lang, { dateStyle: "short", timeStyle: "short" })}`;
  }
  if (!editing(section) || force) {
    // Sanitised on the server with an allowlist without attributes: safe to show as HTML.
    section.querySelector("[data-content]").innerHTML = frame.content;
  }
  if (frame.kind === "care") showSchedule(section, frame.schedule);
}

// The care rotation: the form follows the latest schedule (unless the user is editing it), and
// the calendar is rendered by the server, so fetch the page again and take the new one.
function showSchedule(section, schedule) {
  const key = JSON.stringify(schedule || null);
  if (section.dataset.schedule === key) return;
  const first = section.dataset.schedule === undefined;
  section.dataset.schedule = key;
  const form = section.querySelector("[data-schedule-form]");
  if (form && schedule && !editing(section)) {
    for (const name of ["pattern", "days", "start", "parent_a", "parent_b", "handover_day", "handover_time"]) {
      const field = form.querySelector(`[name="${name}"]`);
      if (field) field.value = String(schedule[name] ?? "");
    }
  }
  if (!first) refreshCalendar(section);
}

async function refreshCalendar(section) {
  try {
    const response = await fetch(location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = doc.querySelector(`[data-section="${section.dataset.section}"] [data-calendar]`);
    const calendar = section.querySelector("[data-calendar]");
    if (fresh && calendar) calendar.innerHTML = fresh.innerHTML;
  } catch (err) { console.error(err); }
}

function openEditor(section) {
  const editor = section.querySelector("[data-editor]");
  const editable = section.querySelector("[data-editable]");
  editable.innerHTML = section.querySelector("[data-content]").innerHTML;
  // The revision this text is based on: saves from others while editing must not move it,
  // or this save would silently overwrite theirs instead of coming back as a conflict.
  section.dataset.base = section.dataset.revision;
  editor.hidden = false;
  section.querySelector("[data-edit]").hidden = true;
  section.querySelector("[data-conflict]").hidden = true;
  editable.focus();
  send({ type: "plan.presence", plan: planId, section: Number(section.dataset.section) });
}

function closeEditor(section) {
  section.querySelector("[data-editor]").hidden = true;
  section.querySelector("[data-edit]").hidden = false;
  send({ type: "plan.presence", plan: planId, section: null });
}

function scheduleFrom(section) {
  const form = section.querySelector("[data-schedule-form]");
  if (!form) return undefined;
  const value = (name) => form.querySelector(`[name="${name}"]`).value;
  return {
    pattern: value("pattern"), days: value("days"), start: value("start"),
    parent_a: Number(value("parent_a")), parent_b: Number(value("parent_b")),
    handover_day: Number(value("handover_day")), handover_time: value("handover_time"),
  };
}

function save(section) {
  const clientId = crypto.randomUUID();
  const id = Number(section.dataset.section);
  pendingSaves.set(clientId, id);
  section.querySelector("[data-save-state]").textContent = t("saving");
  const frame = {
    type: "section.save", section: id, base_revision: Number(section.dataset.base ?? section.dataset.revision),
    content: section.querySelector("[data-editable]").innerHTML, client_id: clientId,
  };
  const schedule = scheduleFrom(section);
  if (schedule && schedule.start) frame.schedule = schedule;
  send(frame);
}

function renderPresence() {
  for (const el of root.querySelectorAll("[data-presence]")) el.textContent = "";
  const bySection = new Map();
  for (const p of presence.values()) {
    if (p.section == null || p.user === me) continue;
    if (!bySection.has(p.section)) bySection.set(p.section, new Set());
    bySection.get(p.section).add(p.name);
  }
  for (const [id, names] of bySection) {
    const el = sectionEl(id)?.querySelector("[data-presence]");
    if (el) el.textContent = `${[...names].join(", ")} ${t("here")}`;
  }
}

function addComment(sectionId, comment) {
  const box = sectionEl(sectionId)?.querySelector("[data-comments]");
  if (!box) return;
  const p = document.createElement("p");
  p.className = "comment" + (comment.visibility === "practitioners" ? " note" : "");
  const who = document.createElement("strong");
  who.textContent = comment.author.name;
  const body = document.createElement("span");
  body.textContent = `: ${comment.body}`;
  p.append(who, body);
  box.append(p);
}

function onFrame(frame) {
  switch (frame.type) {
    case "plan.state":
      for (const s of frame.sections) showSection(s);
      clearTimeout(rejoinTimer);
      if (frame.live === false) {
        // No live updates for now (the server's channel layer is away): look again in a while.
        setConn("delayed");
        rejoinTimer = setTimeout(() => send({ type: "plan.join", plan: planId }), 10000);
      } else {
        setConn("online");
      }
      break;
    case "section.saved": {
      pendingSaves.delete(frame.client_id);
      setApproved(false);
      const section = sectionEl(frame.section.id);
      section.querySelector("[data-save-state]").textContent = t("saved");
      section.querySelector("[data-content]").innerHTML = frame.section.content;
      showSection(frame.section, { force: true });
      closeEditor(section);
      break;
    }
    case "section.updated":
      setApproved(false);
      showSection(frame.section);
      if (editing(sectionEl(frame.section.id))) {
        const box = sectionEl(frame.section.id).querySelector("[data-save-state]");
        box.textContent = `${t("updated")} ${frame.section.updated_by?.name || ""}`;
      }
      break;
    case "section.conflict": {
      pendingSaves.delete(frame.client_id);
      const section = sectionEl(frame.section.id);
      section.dataset.revision = frame.section.revision; // the user has now seen the latest
      section.dataset.base = frame.section.revision;
      section.querySelector("[data-content]").innerHTML = frame.section.content;
      const conflict = section.querySelector("[data-conflict]");
      conflict.querySelector("[data-conflict-text]").textContent = t("conflict");
      conflict.querySelector("[data-diff]").innerHTML = frame.diff; // escaped words in <ins>/<del>
      conflict.hidden = false;
      section.querySelector("[data-save-state]").textContent = "";
      if (frame.section.kind === "care") showSchedule(section, frame.section.schedule);
      setStatus(frame.section.id, frame.section.status);
      showAgreed(section, frame.section.agreed_by);
      break;
    }
    case "section.status":
      setStatus(frame.section, frame.status);
      if (sectionEl(frame.section)) {
        sectionEl(frame.section).dataset.revision = frame.revision;
        showAgreed(sectionEl(frame.section), frame.agreed_by);
      }
      break;
    case "plan.presence":
      if (frame.left || frame.section == null) presence.set(frame.socket, { user: frame.user.id, name: frame.user.name, section: null });
      if (!frame.left) presence.set(frame.socket, { user: frame.user.id, name: frame.user.name, section: frame.section });
      if (frame.left) presence.delete(frame.socket);
      renderPresence();
      break;
    case "comment.new":
      addComment(frame.section, frame.comment);
      break;
    case "plan.changed":
    case "plan.frozen":
      if (![...root.querySelectorAll("[data-editor]")].some((e) => !e.hidden)) location.reload();
      break;
    case "plan.approved":
      if (frame.frozen) location.reload();
      else if (frame.user === me) setApproved(true);
      break;
    case "error": {
      const id = pendingSaves.get(frame.ref);
      const target = id ? sectionEl(id).querySelector("[data-save-state]") : connState;
      target.textContent = frame.detail;
      pendingSaves.delete(frame.ref);
      const approve = document.getElementById("approve");
      if (approve) approve.disabled = false;
      break;
    }
    default:
      break;
  }
}

const connection = openSocket({
  onOpen() {
    setConn("online");
    send({ type: "plan.join", plan: planId });
  },
  onFrame,
  onDrop() {
    clearTimeout(rejoinTimer);
    setConn("offline");
    presence.clear(); renderPresence();
  },
});

root.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  const section = button.closest("[data-section]");
  if (button.matches("[data-edit]")) openEditor(section);
  else if (button.matches("[data-cancel]")) closeEditor(section);
  else if (button.matches("[data-save]")) save(section);
  else if (button.matches("[data-cmd]")) {
    section.querySelector("[data-editable]").focus();
    document.execCommand(button.dataset.cmd);
  } else if (button.matches("[data-agree]") || button.matches("[data-dispute]")) {
    send({ type: "section.agree", section: Number(section.dataset.section), revision: Number(section.dataset.revision),
           agree: button.matches("[data-agree]") });
  }
});

root.addEventListener("submit", (event) => {
  const form = event.target.closest("[data-comment-form]");
  if (!form) return;
  event.preventDefault();
  const body = form.querySelector("textarea").value.trim();
  if (!body) return;
  send({ type: "comment.add", section: Number(form.closest("[data-section]").dataset.section), body,
         visibility: form.querySelector("select").value });
  form.querySelector("textarea").value = "";
});

document.getElementById("approve")?.addEventListener("click", (event) => {
  send({ type: "plan.approve", plan: planId, version: Number(event.target.dataset.version) });
  event.target.disabled = true;
});

window.addEventListener("beforeunload", (event) => {
  if ([...root.querySelectorAll("[data-editor]")].some((e) => !e.hidden)) { event.preventDefault(); }
});
