import { openSocket } from "./socket.js";
import { formatDateTime } from "./dates.js";
import { toneHint } from "./tone-hint.js";

// The plan editor: live saves and presence on the shared socket; a stale save comes back as a
// conflict with what changed, and the user's own text stays in the editor. Nothing is ever
// overwritten silently, and a save that cannot be stored (too long, the connection gone) says so
// and keeps the text. Server content is sanitised HTML (p, br, ul, ol, li, strong, em).

const root = document.getElementById("plan");
const planId = Number(root.dataset.plan);
const me = Number(root.dataset.user);
const connState = document.getElementById("conn-state");
const t = (key) => root.dataset["t" + key.charAt(0).toUpperCase() + key.slice(1).replace(/-(\w)/g, (_m, c) => c.toUpperCase())] || key;
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_m, name) => String(values[name] ?? ""));

// The limits a save must stay within (docs/PROTOCOL.md): the text in characters, as the server
// counts them, and the whole frame in bytes (a bigger frame is refused and the socket closes).
const maxChars = () => Number(root.dataset.maxChars) || 50000;
const maxFrameBytes = () => Number(root.dataset.maxFrameBytes) || 65536;
const CLOSED_TOO_LARGE = new Set([4009, 1009]);

let rejoinTimer = null;
// client_id -> {kind: "save" | "agree" | "comment", section, frame}: what is waiting for an answer.
const pending = new Map();
const presence = new Map();     // socket id -> {name, section}
let parents = new Set();        // the parents' user ids (plan.state)

const sectionEl = (id) => root.querySelector(`[data-section="${id}"]`);
const locale = document.documentElement.lang || undefined;

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

// Who disagrees with the current revision, and why: shown to everyone who sees the section.
function showDisputes(section, disputes) {
  const box = section.querySelector("[data-disputes]");
  if (!box || !Array.isArray(disputes)) return;
  box.replaceChildren(...disputes.map((d) => {
    const p = document.createElement("p");
    p.className = "dispute";
    const who = document.createElement("strong");
    who.textContent = d.user.name;
    // A reason that waits for a practitioner, or is for them only, comes as null to everyone else.
    if (d.reason == null) p.append(who, ` ${t("disagrees-only")}`);
    else {
      const reason = document.createElement("span");
      reason.textContent = d.reason;
      p.append(who, ` ${t("disagrees")} `, reason);
    }
    wordsState(p, d.reason_state, d.note);
    return p;
  }));
}

function sectionError(section, text) {
  const box = section?.querySelector("[data-section-error]");
  if (!box) { connState.textContent = text; return; }
  box.textContent = text || "";
  box.hidden = !text;
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

// Approving the whole plan: possible once every section is agreed, on a page of its own that
// says what it means and asks to confirm. After approving, wait for the other parent; when the
// other parent approved, say so. A new revision anywhere means approving again.
const approveBox = document.querySelector("[data-approved]");
function updateApprove(complete) {
  if (!approveBox) return;
  const approved = approveBox.dataset.approved === "1";
  const unchanged = approveBox.dataset.unchanged === "1"; // same as the last frozen version
  const other = approveBox.dataset.otherApproved === "1";
  const show = (selector, visible) => { const el = approveBox.querySelector(selector); if (el) el.hidden = !visible; };
  const canApprove = complete && !approved && !unchanged;
  document.getElementById("approve").hidden = !canApprove;
  show("[data-approve-ready]", canApprove);
  show("[data-approve-done]", complete && approved);
  show("[data-approve-other]", complete && other && !approved);
  show("[data-approve-help]", !complete && !unchanged);
  show("[data-approve-unchanged]", unchanged);
}

function resetApprovals() {
  if (!approveBox) return;
  approveBox.dataset.approved = "0";
  approveBox.dataset.otherApproved = "0";
  approveBox.dataset.unchanged = "0"; // a new revision: no longer the frozen version
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
  showDisputes(section, frame.disputes);
  const updated = section.querySelector("[data-updated]");
  if (frame.updated_by) {
    updated.textContent = `${t("updated")} ${frame.updated_by.name} · ${formatDateTime(frame.updated_at)}`;
  }
  if (!editing(section) || force) {
    // Sanitised on the server with an allowlist without attributes: safe to show as HTML.
    section.querySelector("[data-content]").innerHTML = frame.content;
  }
  if (frame.kind === "care") showSchedule(section, frame.schedule);
}

// -- the care rotation ----------------------------------------------------------------------

// The form follows the latest schedule (unless the user is editing it); the calendar is
// rendered by the server, so fetch the page again and take the new one.
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
  if (form) syncScheduleForm(form);
  if (!first) refreshCalendar(section);
}

// Labels in plain words for the chosen pattern ("Eerste week bij", "Om het weekend bij"), and the
// day-by-day choice for a custom rotation, which writes the 14 letters of `days`.
function syncScheduleForm(form) {
  const pattern = form.querySelector('[name="pattern"]').value;
  for (const side of ["a", "b"]) {
    const label = form.querySelector(`[data-label-${side}]`);
    const text = form.getAttribute(`data-label-${side}-${pattern}`);
    if (label && text) label.textContent = text;
  }
  const handoverDay = form.querySelector("[data-handover-day]");
  if (handoverDay) handoverDay.hidden = pattern === "custom";
  const custom = form.querySelector("[data-custom-days]");
  if (!custom) return;
  custom.hidden = pattern !== "custom";
  const names = {};
  for (const side of ["a", "b"]) {
    const select = form.querySelector(`[name="parent_${side}"]`);
    names[side] = select.selectedOptions[0]?.textContent || side;
  }
  const days = form.querySelector('[name="days"]').value;
  for (const select of custom.querySelectorAll("[data-day]")) {
    for (const option of select.options) option.textContent = names[option.dataset.parent];
    const letter = days[Number(select.dataset.day)];
    if (letter === "a" || letter === "b") select.value = letter;
  }
}

function customDays(form) {
  return [...form.querySelectorAll("[data-day]")].sort((x, y) => x.dataset.day - y.dataset.day)
    .map((select) => select.value).join("");
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

// -- editing and saving -----------------------------------------------------------------------

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
  saveState(section, "");
  const form = section.querySelector("[data-schedule-form]");
  if (form) syncScheduleForm(form);
  editable.focus();
  send({ type: "plan.presence", plan: planId, section: Number(section.dataset.section) });
}

function closeEditor(section) {
  section.querySelector("[data-editor]").hidden = true;
  section.querySelector("[data-edit]").hidden = false;
  send({ type: "plan.presence", plan: planId, section: null });
}

function saveState(section, text, { alert = false } = {}) {
  const box = section.querySelector("[data-save-state]");
  box.textContent = text;
  box.classList.toggle("errors", alert);
  box.setAttribute("role", alert ? "alert" : "status");
}

function scheduleFrom(section) {
  const form = section.querySelector("[data-schedule-form]");
  if (!form) return undefined;
  const value = (name) => form.querySelector(`[name="${name}"]`).value;
  const pattern = value("pattern");
  return {
    pattern, days: pattern === "custom" ? customDays(form) : value("days"), start: value("start"),
    parent_a: Number(value("parent_a")), parent_b: Number(value("parent_b")),
    handover_day: Number(value("handover_day")), handover_time: value("handover_time"),
  };
}

function save(section) {
  const id = Number(section.dataset.section);
  const content = section.querySelector("[data-editable]").innerHTML;
  // Counted as the server counts (code points), and the frame as the socket does (UTF-8 bytes):
  // a save over either limit is not sent at all, and the text stays in the editor.
  const chars = [...content].length;
  if (chars > maxChars()) {
    saveState(section, fill(t("too-long"), { n: chars.toLocaleString(locale), max: maxChars().toLocaleString(locale) }), { alert: true });
    return;
  }
  const clientId = crypto.randomUUID();
  const frame = {
    type: "section.save", section: id, base_revision: Number(section.dataset.base ?? section.dataset.revision),
    content, client_id: clientId,
  };
  const schedule = scheduleFrom(section);
  if (schedule && schedule.start) frame.schedule = schedule;
  const bytes = new TextEncoder().encode(JSON.stringify(frame)).length;
  if (bytes > maxFrameBytes()) {
    saveState(section, fill(t("too-large"), { kb: Math.ceil(bytes / 1024), max: Math.floor(maxFrameBytes() / 1024) }), { alert: true });
    return;
  }
  pending.set(clientId, { kind: "save", section: id, frame });
  if (send(frame)) saveState(section, t("saving"));
  else saveState(section, t("dropped"), { alert: true }); // sent when the connection is back
}

// A save that can never be stored (too large for the socket): tell the user, keep the text.
function failSave(clientId, text) {
  const item = pending.get(clientId);
  pending.delete(clientId);
  const section = item && sectionEl(item.section);
  if (section) saveState(section, text, { alert: true });
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

// Words that do not (yet) reach the whole family: a badge (held, returned, for the practitioners
// only) and, on a return, the practitioner's note (docs/PROTOCOL.md, "Held words on the plan").
function wordsState(p, state, note) {
  if (!state || state === "shown") return;
  if (state !== "note") p.classList.add(`words-${state}`);
  const badge = document.createElement("span");
  badge.className = "badge-note";
  badge.textContent = t(`words-${state}`);
  p.querySelector("strong").after(" ", badge);
  if (note) {
    const why = document.createElement("span");
    why.className = "words-note";
    why.textContent = `${t("words-from")} ${note}`;
    p.append(why);
  }
}

// A comment, new or in a new state (comment.state, or released: comment.new again): one per id.
function addComment(sectionId, comment) {
  const box = sectionEl(sectionId)?.querySelector("[data-comments]");
  if (!box) return;
  const p = document.createElement("p");
  p.className = "comment" + (comment.visibility === "practitioners" ? " note" : "");
  p.dataset.commentId = comment.id;
  const who = document.createElement("strong");
  who.textContent = comment.author.name;
  const body = document.createElement("span");
  body.textContent = `: ${comment.body}`;
  p.append(who, body);
  // A practitioners' note and a parent's words in indirect contact are both "private": a
  // parent's words are told apart by their author (plan.state names the parents).
  const state = comment.state === "private" && !parents.has(comment.author.id) ? "note" : comment.state;
  wordsState(p, state, comment.note);
  const known = box.querySelector(`[data-comment-id="${comment.id}"]`);
  if (known) known.replaceWith(p); else box.append(p);
}

// The page is rendered again for a new state of the whole plan, but never under someone's typing.
function reloadUnlessEditing() {
  if (![...root.querySelectorAll("[data-editor]")].some((e) => !e.hidden)) location.reload();
}

// An answer came for what was waiting (agree and comment answers carry no client_id).
function forget(kind, sectionId) {
  for (const [clientId, item] of pending) if (item.kind === kind && item.section === sectionId) pending.delete(clientId);
}

function disputeForm(section) { return section.querySelector("[data-dispute-form]"); }

function toggleDispute(section, open) {
  const form = disputeForm(section);
  if (!form) return;
  form.hidden = !open;
  section.querySelector("[data-dispute]")?.setAttribute("aria-expanded", String(open));
  const error = form.querySelector("[data-dispute-error]");
  error.hidden = true;
  if (open) form.querySelector("textarea").focus();
}

// The gentle tone hint while a parent writes a comment or a reason (tone-hint.js, as in the chat):
// made for a box the first time it gets focus; only the writer sees it.
const toneLabels = root.dataset.toneLabels ? JSON.parse(root.dataset.toneLabels) : null;
const toneHints = [];
root.addEventListener("focusin", (event) => {
  const input = event.target;
  if (!toneLabels || !input.matches("[data-comment-form] textarea, [data-dispute-form] textarea") || input.dataset.toneHint) return;
  input.dataset.toneHint = "1";
  toneHints.push(toneHint({ input, send, labels: toneLabels, key: input.id }));
});

function onFrame(frame) {
  if (toneHints.some((hint) => hint.frame(frame))) return;
  switch (frame.type) {
    case "plan.state":
      parents = new Set(frame.parents || []);
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
      pending.delete(frame.client_id);
      resetApprovals();
      const section = sectionEl(frame.section.id);
      if (!section) break;
      saveState(section, t("saved"));
      section.querySelector("[data-content]").innerHTML = frame.section.content;
      showSection(frame.section, { force: true });
      closeEditor(section);
      break;
    }
    case "section.updated":
      resetApprovals();
      showSection(frame.section);
      if (sectionEl(frame.section.id) && editing(sectionEl(frame.section.id))) {
        saveState(sectionEl(frame.section.id), `${t("updated")} ${frame.section.updated_by?.name || ""}`);
      }
      break;
    case "section.conflict": {
      pending.delete(frame.client_id);
      const section = sectionEl(frame.section.id);
      if (!section) break;
      section.dataset.revision = frame.section.revision; // the user has now seen the latest
      section.dataset.base = frame.section.revision;
      section.querySelector("[data-content]").innerHTML = frame.section.content;
      const conflict = section.querySelector("[data-conflict]");
      conflict.querySelector("[data-conflict-text]").textContent = t("conflict");
      conflict.querySelector("[data-diff]").innerHTML = frame.diff; // escaped words in <ins>/<del>
      conflict.hidden = false;
      saveState(section, "");
      if (frame.section.kind === "care") showSchedule(section, frame.section.schedule);
      setStatus(frame.section.id, frame.section.status);
      showAgreed(section, frame.section.agreed_by);
      showDisputes(section, frame.section.disputes);
      break;
    }
    case "section.status": {
      setStatus(frame.section, frame.status);
      const section = sectionEl(frame.section);
      if (section) {
        section.dataset.revision = frame.revision;
        showAgreed(section, frame.agreed_by);
        showDisputes(section, frame.disputes);
        if (frame.by === me) {
          forget("agree", frame.section);
          sectionError(section, "");
          const form = disputeForm(section);
          if (form && !frame.agrees) { form.querySelector("textarea").value = ""; toggleDispute(section, false); }
        }
      }
      break;
    }
    case "plan.presence":
      if (frame.left || frame.section == null) presence.set(frame.socket, { user: frame.user.id, name: frame.user.name, section: null });
      if (!frame.left) presence.set(frame.socket, { user: frame.user.id, name: frame.user.name, section: frame.section });
      if (frame.left) presence.delete(frame.socket);
      renderPresence();
      break;
    case "comment.state":
      addComment(frame.section, frame.comment);
      break;
    case "comment.new":
      addComment(frame.section, frame.comment);
      if (frame.comment.author.id === me) forget("comment", frame.section);
      break;
    case "plan.changed":
    case "plan.frozen":
      reloadUnlessEditing();
      break;
    case "plan.approved":
      if (frame.frozen) { reloadUnlessEditing(); break; } // plan.frozen follows; either will do
      if (!approveBox) break;
      if (frame.user === me) approveBox.dataset.approved = "1";
      else {
        approveBox.dataset.otherApproved = "1";
        const name = approveBox.querySelector("[data-other-name]");
        if (name && frame.approver?.name) name.textContent = frame.approver.name;
      }
      updateSummary();
      break;
    case "error":
      onError(frame);
      break;
    default:
      break;
  }
}

function onError(frame) {
  const item = frame.ref != null ? pending.get(frame.ref) : undefined;
  if (item) {
    pending.delete(frame.ref);
    const section = sectionEl(item.section);
    if (item.kind === "save") saveState(section, frame.detail, { alert: true });
    else if (item.kind === "agree" && item.frame.agree === false && disputeForm(section) && !disputeForm(section).hidden) {
      const error = disputeForm(section).querySelector("[data-dispute-error]");
      error.textContent = frame.detail; error.hidden = false;
    } else if (item.kind === "comment") {
      const form = section?.querySelector("[data-comment-form]");
      if (form) {
        const textarea = form.querySelector("textarea");
        if (!textarea.value) textarea.value = item.frame.body; // give the words back
        const error = form.querySelector("[data-comment-error]");
        error.textContent = frame.detail; error.hidden = false;
      }
    } else sectionError(section, frame.detail);
    return;
  }
  if (frame.code === "too_large") {
    // The frame was over the socket's limit: it carries no client_id we could read, and the
    // socket closes next. The oldest save still waiting is the one it was about.
    const [oldest] = [...pending].find(([, p]) => p.kind === "save") || [];
    if (oldest) { failSave(oldest, t("refused")); return; }
  }
  connState.textContent = frame.detail;
}

const connection = openSocket({
  onOpen() {
    setConn("online");
    send({ type: "plan.join", plan: planId });
    // Saves sent before the connection dropped: the same client_id again, so a save that was
    // stored is answered with its revision and not stored twice.
    for (const item of pending.values()) {
      if (item.kind === "save" && send(item.frame)) saveState(sectionEl(item.section), t("saving"));
    }
    for (const [clientId, item] of pending) if (item.kind !== "save") pending.delete(clientId);
  },
  onFrame,
  onDrop(_attempt, code) {
    clearTimeout(rejoinTimer);
    setConn("offline");
    presence.clear(); renderPresence();
    for (const [clientId, item] of pending) {
      if (item.kind !== "save") continue;
      // Closed for size: sending it again would close the socket again.
      if (CLOSED_TOO_LARGE.has(code)) failSave(clientId, t("refused"));
      else saveState(sectionEl(item.section), t("dropped"), { alert: true });
    }
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
  } else if (button.matches("[data-agree]")) {
    toggleDispute(section, false);
    sectionError(section, "");
    const clientId = crypto.randomUUID();
    const frame = { type: "section.agree", section: Number(section.dataset.section), revision: Number(section.dataset.revision),
                    agree: true, client_id: clientId };
    pending.set(clientId, { kind: "agree", section: frame.section, frame });
    send(frame);
  } else if (button.matches("[data-dispute]")) {
    toggleDispute(section, disputeForm(section)?.hidden ?? false);
  } else if (button.matches("[data-dispute-cancel]")) {
    toggleDispute(section, false);
    section.querySelector("[data-dispute]")?.focus();
  }
});

root.addEventListener("change", (event) => {
  const form = event.target.closest("[data-schedule-form]");
  if (form && event.target.matches('[name="pattern"], [name="parent_a"], [name="parent_b"]')) syncScheduleForm(form);
  if (form && event.target.matches("[data-day]")) form.querySelector('[name="days"]').value = customDays(form);
});

root.addEventListener("submit", (event) => {
  const section = event.target.closest("[data-section]");
  const commentForm = event.target.closest("[data-comment-form]");
  const disputing = event.target.closest("[data-dispute-form]");
  if (!commentForm && !disputing) return;
  event.preventDefault();
  const clientId = crypto.randomUUID();
  if (disputing) {
    const reason = disputing.querySelector("textarea").value.trim();
    const error = disputing.querySelector("[data-dispute-error]");
    if (!reason) { error.textContent = t("reason-needed"); error.hidden = false; disputing.querySelector("textarea").focus(); return; }
    error.hidden = true;
    const frame = { type: "section.agree", section: Number(section.dataset.section), revision: Number(section.dataset.revision),
                    agree: false, reason, client_id: clientId };
    pending.set(clientId, { kind: "agree", section: frame.section, frame });
    send(frame);
    return;
  }
  const textarea = commentForm.querySelector("textarea");
  const body = textarea.value.trim();
  if (!body) return;
  commentForm.querySelector("[data-comment-error]").hidden = true;
  const frame = { type: "comment.add", section: Number(section.dataset.section), body,
                  visibility: commentForm.querySelector('[name="visibility"]').value, client_id: clientId };
  pending.set(clientId, { kind: "comment", section: frame.section, frame });
  if (send(frame)) textarea.value = "";
});

window.addEventListener("beforeunload", (event) => {
  if ([...root.querySelectorAll("[data-editor]")].some((e) => !e.hidden)) { event.preventDefault(); }
});
