import { openSocket } from "./socket.js";

// The review queue of one family, for its practitioners, on a phone: every held message as a card
// with three big buttons (release; return with a reason; rephrase). Live over the one socket:
// review.join -> review.queue, then review.new / review.decided. Every user text goes in through
// textContent: nothing anyone writes is parsed as HTML.

const root = document.getElementById("review");
const queue = document.getElementById("queue");
const emptyNote = document.getElementById("queue-empty");
const news = document.getElementById("queue-news");
const connState = document.getElementById("conn-state");
const labels = JSON.parse(document.getElementById("review-labels").textContent);

const familyId = Number(root.dataset.family);
const me = Number(root.dataset.user);
const t = (key) => root.dataset["t" + key.charAt(0).toUpperCase() + key.slice(1)] || key;

const items = new Map();   // item id -> <li>
const asked = new Map();   // ref (client_id of a review.decide) -> item id
let left = false;

function setConn(state) {
  connState.dataset.state = state;
  connState.textContent = t(state);
}

function formatTime(iso) {
  return new Date(iso).toLocaleString(document.documentElement.lang || "nl", {
    day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function showEmpty() {
  emptyNote.hidden = items.size > 0 || left;
}

function say(text) {
  news.textContent = "";
  news.textContent = text;
}

function card(item) {
  const li = el("li", "review-item");
  li.dataset.item = item.id;
  const article = el("article");
  const headId = `item-${item.id}-h`;
  article.setAttribute("aria-labelledby", headId);
  const head = el("h2", "item-head");
  head.id = headId;
  head.append(el("span", "item-sender", item.sender.name), " ");
  const time = el("time", "meta", formatTime(item.held_at));
  time.dateTime = item.held_at;
  head.append(time);
  const tone = el("p", `tone tone-${item.tone.level}`);
  const reasons = item.tone.reasons.map((r) => labels.tags[r] || r);
  tone.textContent = `${t("tone")}: ${labels.levels[item.tone.level] || item.tone.level}`
    + (reasons.length ? ` · ${reasons.join(", ")}` : "");
  const body = el("p", "item-body", item.body);
  const error = el("p", "errors");
  error.setAttribute("role", "alert");
  error.hidden = true;

  const actions = el("div", "item-actions");
  const release = el("button", "button primary", t("release"));
  release.type = "button";
  const toReturn = el("button", "button", t("return"));
  toReturn.type = "button";
  const toRephrase = el("button", "button", t("rephrase"));
  toRephrase.type = "button";
  actions.append(release, toReturn, toRephrase);

  // Return: a reason (required, the parent sees it) and a note.
  const returnForm = el("form", "item-form");
  returnForm.hidden = true;
  returnForm.noValidate = true;
  const reasonId = `item-${item.id}-reason`;
  const reasonLabel = el("label", "", t("reason"));
  reasonLabel.htmlFor = reasonId;
  const reason = el("select");
  reason.id = reasonId;
  reason.append(new Option(t("choose"), ""));
  for (const [value, text] of Object.entries(labels.reasons)) reason.append(new Option(text, value));
  const noteId = `item-${item.id}-note`;
  const noteLabel = el("label", "", t("note"));
  noteLabel.htmlFor = noteId;
  const note = el("textarea");
  note.id = noteId;
  note.rows = 3;
  note.maxLength = 1000;
  const returnSend = el("button", "button primary", t("returnSend"));
  returnSend.type = "submit";
  const returnCancel = el("button", "button", t("cancel"));
  returnCancel.type = "button";
  returnForm.append(reasonLabel, reason, noteLabel, note, returnSend, returnCancel);

  // Rephrase: the words proposed to the parent, who accepts or declines.
  const rephraseForm = el("form", "item-form");
  rephraseForm.hidden = true;
  rephraseForm.noValidate = true;
  const proposalId = `item-${item.id}-proposal`;
  const proposalLabel = el("label", "", t("proposal"));
  proposalLabel.htmlFor = proposalId;
  const proposal = el("textarea");
  proposal.id = proposalId;
  proposal.rows = 5;
  proposal.maxLength = 4000;
  proposal.value = item.body;
  const rephraseSend = el("button", "button primary", t("rephraseSend"));
  rephraseSend.type = "submit";
  const rephraseCancel = el("button", "button", t("cancel"));
  rephraseCancel.type = "button";
  rephraseForm.append(proposalLabel, proposal, rephraseSend, rephraseCancel);

  function open(form, opener) {
    for (const [f, b] of [[returnForm, toReturn], [rephraseForm, toRephrase]]) {
      f.hidden = f !== form;
      b.setAttribute("aria-expanded", String(f === form));
    }
    actions.hidden = form !== null;
    if (form) form.querySelector("select, textarea").focus();
    else opener?.focus();
  }
  toReturn.setAttribute("aria-expanded", "false");
  toRephrase.setAttribute("aria-expanded", "false");
  toReturn.addEventListener("click", () => open(returnForm));
  toRephrase.addEventListener("click", () => open(rephraseForm));
  returnCancel.addEventListener("click", () => open(null, toReturn));
  rephraseCancel.addEventListener("click", () => open(null, toRephrase));

  function fail(text) {
    error.textContent = text;
    error.hidden = false;
  }

  function decide(frame) {
    error.hidden = true;
    const ref = crypto.randomUUID();
    asked.set(ref, item.id);
    for (const b of li.querySelectorAll("button")) b.disabled = true;
    li.classList.add("busy");
    if (!connection.send({ type: "review.decide", item: item.id, client_id: ref, ...frame })) {
      asked.delete(ref);
      unlock();
      fail(t("offline"));
    }
  }

  function unlock() {
    for (const b of li.querySelectorAll("button")) b.disabled = false;
    li.classList.remove("busy");
  }
  li.unlock = unlock;
  li.fail = fail;

  release.addEventListener("click", () => decide({ decision: "release" }));
  returnForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!reason.value) { fail(t("needReason")); reason.focus(); return; }
    decide({ decision: "return", reason: reason.value, note: note.value });
  });
  rephraseForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!proposal.value.trim()) { fail(t("needBody")); proposal.focus(); return; }
    decide({ decision: "rephrase", body: proposal.value });
  });

  article.append(head, tone, body, actions, returnForm, rephraseForm, error);
  li.append(article);
  return li;
}

function add(item) {
  if (items.has(item.id)) return;
  const li = card(item);
  // Oldest first: after every item held before it.
  const later = [...items.entries()].filter(([id]) => id > item.id).sort((a, b) => a[0] - b[0])[0];
  queue.insertBefore(li, later ? later[1] : null);
  items.set(item.id, li);
  showEmpty();
}

function remove(id) {
  const li = items.get(id);
  if (!li) return;
  li.remove();
  items.delete(id);
  showEmpty();
}

const DONE = { release: "released", return: "returned", rephrase: "rephrased", accept: "accepted",
               decline: "declined" };

function onFrame(frame) {
  switch (frame.type) {
    case "review.queue":
      if (frame.family !== familyId) return;
      { const current = new Set(frame.items.map((i) => i.id));
        for (const id of [...items.keys()]) if (!current.has(id)) remove(id);
        for (const item of frame.items) add(item); }
      showEmpty();
      break;
    case "review.new":
      if (frame.family === familyId) add(frame.item);
      break;
    case "review.decided":
      if (frame.family !== familyId) return;
      if (frame.decision !== "decline") remove(frame.item);
      say(t(DONE[frame.decision] || "released") + (frame.by !== me && frame.decision !== "accept"
        && frame.decision !== "decline" ? ` (${t("byOther")})` : ""));
      break;
    case "review.left":
      if (frame.family !== familyId) return;
      left = true;
      for (const id of [...items.keys()]) remove(id);
      setConn("left");
      break;
    case "error": {
      const id = asked.get(frame.ref);
      if (id === undefined) return;
      asked.delete(frame.ref);
      const li = items.get(id);
      if (!li) return;
      li.unlock();
      li.fail(frame.detail);
      // Someone else decided first: the queue as it is now (the item goes when its review.decided comes).
      if (frame.code === "conflict" || frame.code === "not_found") join();
      break;
    }
    default:
      break;
  }
}

function join() {
  if (!left) connection.send({ type: "review.join", family: familyId });
}

const connection = openSocket({
  onOpen() {
    setConn(left ? "left" : "online");
    join();
  },
  onFrame,
  onDrop() {
    setConn("offline");
  },
});

setConn("connecting");
