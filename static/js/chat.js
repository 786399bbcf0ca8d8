import { openSocket } from "./socket.js";
import { chatModeration } from "./chat-moderation.js";
import { toneHint } from "./tone-hint.js";
import { formatDateTime } from "./dates.js";

// The chat page: one socket (/ws/), resumes from the last seq it saw, never shows a message twice.
// Every user text goes in through textContent: nothing a user writes is ever parsed as HTML.

const root = document.getElementById("chat");
const list = document.getElementById("messages");
const olderButton = document.getElementById("older");
const composer = document.getElementById("composer");
const bodyInput = document.getElementById("body");
const errorBox = document.getElementById("composer-error");
const connState = document.getElementById("conn-state");

const threadId = Number(root.dataset.thread);
const me = Number(root.dataset.user);
const maxChars = Number(root.dataset.max);
const t = (key) => root.dataset["t" + key.charAt(0).toUpperCase() + key.slice(1)] || key;
// The sentences for membership entries, from the server (messaging.membership.entry_texts).
const entryTexts = JSON.parse(document.getElementById("entry-texts")?.textContent || "{}");
// Who is in the thread is on the page as of this seq; later membership entries update it.
const pageSeq = Number(root.dataset.lastSeq || 0);
// The first seq this user may see (a relative added without the earlier messages sees fewer).
let visibleFrom = Math.max(1, Number(root.dataset.visibleFrom || 1));

let left = false;                   // access to this thread was withdrawn
let lastSeq = Math.max(visibleFrom - 1, pageSeq - 50); // contiguous seqs seen
let firstSeq = null;                // oldest rendered seq (for scrolling back)
let readSent = 0;                   // highest seq we reported as read
let othersRead = 0;                 // highest seq any other member has read
let rejoinTimer = null;
let rejoinDelay = 0;
let joined = false;
const rendered = new Map();         // seq -> <li>
const pending = new Map();          // client_id -> {body, li, frame}

function setConn(state) {
  connState.dataset.state = state;
  connState.textContent = t(state);
}

function formatTime(iso) {
  return formatDateTime(iso);
}

// An entry's change in words: the same texts and rules as messaging.membership.change_text.
function fill(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
}

function changeText(change) {
  const member = change.member || {};
  const values = { name: member.name || "", role: entryTexts["role." + member.role] || member.role || "" };
  if ("renamed_from" in change) return fill(entryTexts.renamed, { ...values, old: String(change.renamed_from) });
  let key = "changed." + change.after;
  if (change.before === "none") key = "joined." + change.after;
  else if (change.after === "none") key = "left." + change.before;
  const parts = [fill(entryTexts[key], values)];
  if (change.before === "none" && (change.history === "all" || change.history === "from_here")) parts.push(fill(entryTexts["history." + change.history], values));
  if (change.consent && change.consent.length) {
    const names = change.consent.map((c) => c.name);
    const joined = names.length === 1 ? names[0] : names.slice(0, -1).join(", ") + " " + entryTexts.and + " " + names[names.length - 1];
    parts.push(fill(entryTexts.consent, { proposer: (change.proposed_by || {}).name || "", names: joined }));
  }
  return parts.filter(Boolean).join(" ");
}

function entryItem(msg) {
  const li = document.createElement("li");
  li.className = "msg system";
  const body = document.createElement("p");
  body.className = "msg-body";
  body.textContent = changeText(msg.change || {});
  const meta = document.createElement("span");
  meta.className = "msg-meta";
  const time = document.createElement("time");
  time.dateTime = msg.sent_at;
  time.textContent = formatTime(msg.sent_at);
  meta.append(time);
  li.append(body, meta);
  return li;
}

// Keep "Doen mee / Lezen mee" at the top of the page current as entries arrive.
function applyChange(change) {
  const member = change.member || {};
  const id = Number(member.id);
  for (const list of document.querySelectorAll(".people-list")) {
    for (const li of list.querySelectorAll("li[data-user]")) if (Number(li.dataset.user) === id) li.remove();
  }
  const target = document.getElementById(change.after === "write" ? "people-write" : "people-read");
  if (change.after !== "none" && target) {
    const li = document.createElement("li");
    li.dataset.user = String(id);
    const role = document.createElement("span");
    role.className = "meta";
    role.textContent = "(" + (entryTexts["role." + member.role] || member.role || "") + ")";
    li.append(id === me ? t("you") : member.name || "", " ", role);
    target.append(li);
  }
  for (const list of document.querySelectorAll(".people-list")) {
    const items = [...list.querySelectorAll("li[data-user]")];
    items.forEach((li, i) => {
      li.querySelector(".sep")?.remove();
      if (i < items.length - 1) {
        const sep = document.createElement("span");
        sep.className = "sep";
        sep.textContent = ", ";
        li.append(sep);
      }
    });
    const nobody = list.querySelector("li.nobody");
    const someone = list.querySelector("li[data-user]");
    if (someone && nobody) nobody.remove();
    if (!someone && !nobody) {
      const li = document.createElement("li");
      li.className = "nobody";
      li.textContent = t("nobody");
      list.append(li);
    }
  }
}

function messageItem(msg, state) {
  if (msg.kind === "membership") return entryItem(msg);
  const li = document.createElement("li");
  const mine = msg.sender && msg.sender.id === me;
  li.className = "msg" + (mine ? " mine" : "");
  const who = document.createElement("span");
  who.className = "msg-sender";
  who.textContent = mine ? t("you") : msg.sender.name;
  const body = document.createElement("p");
  body.className = "msg-body";
  body.textContent = msg.body;
  const meta = document.createElement("span");
  meta.className = "msg-meta";
  const time = document.createElement("time");
  if (msg.sent_at) {
    time.dateTime = msg.sent_at;
    time.textContent = formatTime(msg.sent_at);
  }
  meta.append(time);
  if (mine) {
    const st = document.createElement("span");
    st.className = "msg-state";
    meta.append(" · ", st);
  }
  li.append(who, body, meta);
  if (mine) setState(li, state);
  return li;
}

function setState(li, state) {
  const st = li.querySelector(".msg-state");
  if (!st) return;
  li.dataset.state = state;
  st.textContent = t(state);
}

function showEmpty() {
  if (rendered.size === 0 && pending.size === 0 && !list.querySelector(".empty, .draft")) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = t("empty");
    list.append(li);
  } else if (rendered.size + pending.size > 0) {
    list.querySelector(".empty")?.remove();
  }
}

function nearBottom() {
  return window.innerHeight + window.scrollY >= document.body.scrollHeight - 120;
}

function scrollDown() {
  window.scrollTo({ top: document.body.scrollHeight });
}

// Insert in seq order; returns false for a seq we already have.
function place(msg) {
  if (rendered.has(msg.seq)) return false;
  if (msg.kind === "membership" && msg.seq > pageSeq) applyChange(msg.change || {});
  const state = msg.seq <= othersRead ? "read" : "sent";
  const li = messageItem(msg, state);
  li.dataset.seq = msg.seq;
  li.dataset.id = msg.id;
  moderation.decorate(li, msg);
  const later = [...rendered.keys()].filter((s) => s > msg.seq).sort((a, b) => a - b)[0];
  const firstPending = list.querySelector("li.pending");
  list.insertBefore(li, later !== undefined ? rendered.get(later) : firstPending);
  rendered.set(msg.seq, li);
  if (firstSeq === null || msg.seq < firstSeq) firstSeq = msg.seq;
  return true;
}

function accept(messages) {
  const stick = nearBottom();
  for (const msg of messages) {
    if (msg.seq <= lastSeq && rendered.has(msg.seq)) continue;
    place(msg);
  }
  while (rendered.has(lastSeq + 1)) lastSeq += 1;
  showEmpty();
  olderButton.hidden = !(firstSeq !== null && firstSeq > visibleFrom);
  if (stick) scrollDown();
  markRead();
}

function markRead() {
  if (document.visibilityState !== "visible" || !connection.isOpen()) return;
  if (lastSeq > readSent) {
    readSent = lastSeq;
    send({ type: "message.read", thread: threadId, seq: lastSeq });
  }
}

function send(frame) {
  return connection.send(frame);
}

function applyRead(seq) {
  othersRead = Math.max(othersRead, seq);
  for (const [s, li] of rendered) {
    if (s <= othersRead && li.classList.contains("mine")) setState(li, "read");
  }
}

function join() {
  if (!left) send({ type: "thread.join", thread: threadId, after: lastSeq });
}

// "live": false means the server answered from the database but cannot push new messages yet
// (its Redis is away). Join again now and then, which also fetches what came meanwhile, until it is.
function rejoinUnlessLive(live) {
  clearTimeout(rejoinTimer);
  if (live !== false) {
    rejoinDelay = 0;
    if (connState.dataset.state === "delayed") setConn("online");
    return;
  }
  setConn("delayed");
  rejoinDelay = Math.min(30000, rejoinDelay ? rejoinDelay * 2 : 3000);
  rejoinTimer = setTimeout(join, rejoinDelay);
}

function resendPending() {
  for (const item of pending.values()) {
    setState(item.li, "sending");
    send(item.frame);
  }
}

function onFrame(frame) {
  if (tone.frame(frame)) return; // tone.result, and the tone check's own errors
  switch (frame.type) {
    case "thread.history":
      if (frame.thread !== threadId) return;
      if (frame.visible_from) {
        visibleFrom = Math.max(1, frame.visible_from);
        lastSeq = Math.max(lastSeq, visibleFrom - 1);
      }
      accept(frame.messages);
      moderation.history(frame);
      if (frame.read_up_to) {
        for (const [uid, seq] of Object.entries(frame.read_up_to)) if (Number(uid) !== me) applyRead(seq);
      }
      if (frame.has_more) { join(); return; }
      if (!joined) { joined = true; resendPending(); }
      rejoinUnlessLive(frame.live);
      break;
    case "thread.left":
      // Access was withdrawn (membership ended or role changed): stop, and say so.
      if (frame.thread !== threadId) return;
      left = true;
      if (composer) composer.hidden = true;
      setConn("left");
      break;
    case "thread.resync":
      // The server has fewer messages than we saw (a restored database): start over from its state.
      rendered.clear(); list.replaceChildren(); lastSeq = 0; firstSeq = null; readSent = 0;
      lastSeq = Math.max(visibleFrom - 1, frame.last_seq - 50);
      join();
      break;
    case "thread.page":
      if (frame.thread !== threadId) return;
      { const before = document.body.scrollHeight;
        for (const msg of frame.messages) place(msg);
        window.scrollBy(0, document.body.scrollHeight - before);
        olderButton.hidden = !(firstSeq !== null && firstSeq > visibleFrom); }
      break;
    case "message.new":
      if (frame.thread !== threadId) return;
      if (frame.message.seq > lastSeq + 1) { join(); return; } // a gap: fetch what we missed
      accept([frame.message]);
      break;
    case "message.ack": {
      const item = pending.get(frame.client_id);
      if (item) { item.li.remove(); pending.delete(frame.client_id); }
      if (moderation.ack(frame)) { showEmpty(); break; } // held for review: not in the thread (seq null)
      if (frame.message.seq === lastSeq + 1 || rendered.has(frame.message.seq)) accept([frame.message]);
      else join();
      break;
    }
    case "receipt":
      if (frame.thread === threadId && frame.user !== me) applyRead(frame.seq);
      break;
    case "error":
      if (frame.ref && pending.has(frame.ref)) {
        const item = pending.get(frame.ref);
        if (frame.code === "rate_limited") { setTimeout(() => resendOne(frame.ref), 1500); return; }
        setState(item.li, "failed");
        addRetry(frame.ref);
      }
      showError(frame.detail);
      break;
    default:
      moderation.frame(frame); // message.state, family.mode
      break;
  }
}

function resendOne(clientId) {
  const item = pending.get(clientId);
  if (!item) return;
  setState(item.li, "sending");
  send(item.frame);
}

// Show a message as "sending" until its ack, and send it (again after every reconnect until acked).
function submitFrame(frame) {
  const li = messageItem({ sender: { id: me }, body: frame.body, sent_at: null }, "sending");
  li.classList.add("pending");
  list.append(li);
  pending.set(frame.client_id, { body: frame.body, li, frame });
  showEmpty();
  scrollDown();
  send(frame);
}

function addRetry(clientId) {
  const item = pending.get(clientId);
  if (!item || item.li.querySelector("button")) return;
  const retry = document.createElement("button");
  retry.type = "button";
  retry.className = "link-button";
  retry.textContent = t("retry");
  retry.addEventListener("click", () => { retry.remove(); resendOne(clientId); });
  item.li.append(retry);
}

function showError(text) {
  if (!errorBox) return;
  errorBox.textContent = text;
  errorBox.hidden = false;
}

// Held messages, outcomes, the contact mode banner and the relay form (chat-moderation.js).
const moderation = chatModeration({
  list, me, threadId, rendered, composer, t,
  lastSeq: () => lastSeq, join, send, submitFrame, showEmpty, showError,
});

// The gentle tone hint while a parent types in the parents' thread (tone-hint.js).
const tone = toneHint({
  input: bodyInput, send,
  labels: JSON.parse(document.getElementById("moderation-labels")?.textContent || "{}"),
});

const connection = openSocket({
  onOpen() {
    joined = false;
    setConn(left ? "left" : "online");
    join();
  },
  onFrame,
  onDrop() {
    clearTimeout(rejoinTimer);
    for (const item of pending.values()) setState(item.li, "sending");
    setConn("offline");
  },
});

if (composer) {
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = bodyInput.value.trim();
    errorBox.hidden = true;
    if (!body) return;
    if (body.length > maxChars) { showError(t("tooLong")); return; }
    bodyInput.value = "";
    tone.clear();
    submitFrame({ type: "message.send", thread: threadId, client_id: crypto.randomUUID(), body });
  });
  bodyInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
}

olderButton.addEventListener("click", () => {
  if (firstSeq !== null && firstSeq > visibleFrom) send({ type: "thread.before", thread: threadId, before: firstSeq });
});
document.addEventListener("visibilitychange", markRead);
window.addEventListener("focus", markRead);

setConn("connecting");
showEmpty();
