// The chat page's moderation parts (used by chat.js): the sender's own held messages ("waiting for
// review", returned with the reason and note, a proposed rephrasing to accept or decline), the
// family's contact mode banner (live on family.mode), and the relay form for practitioners.
// Held messages are not part of the thread (no seq): they are shown where they were written and
// never counted as messages. Every user text goes in through textContent.

export function chatModeration({ list, me, threadId, rendered, composer, t,
                                 lastSeq, join, send, submitFrame, showEmpty, showError }) {
  const labelsNode = document.getElementById("moderation-labels");
  const labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
  const banner = document.getElementById("mode-banner");
  const drafts = new Map();          // client_id (lower case) -> {li, afterSeq, item}
  const rephrasedSeqs = new Set();   // my messages delivered as a rephrasing I accepted
  const relaySources = new Map();    // message id -> source message ids (practitioners only)

  const key = (clientId) => String(clientId).toLowerCase();
  const label = (name) => labels[name] || name;

  function formatTime(iso) {
    return new Date(iso).toLocaleString(document.documentElement.lang || "nl", {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    });
  }

  // -- held messages ---------------------------------------------------------------------------

  function draftItem(d) {
    const li = document.createElement("li");
    li.className = "msg mine draft";
    const who = document.createElement("span");
    who.className = "msg-sender";
    who.textContent = t("you");
    const body = document.createElement("p");
    body.className = "msg-body";
    body.textContent = d.body;
    const meta = document.createElement("span");
    meta.className = "msg-meta";
    const time = document.createElement("time");
    if (d.held_at) { time.dateTime = d.held_at; time.textContent = formatTime(d.held_at); }
    const state = document.createElement("span");
    state.className = "msg-state";
    meta.append(time, " · ", state);
    const detail = document.createElement("div");
    detail.className = "draft-detail";
    li.append(who, body, meta, detail);
    return li;
  }

  function render(entry, d) {
    const { li } = entry;
    li.dataset.state = d.state;
    li.dataset.item = d.item;
    li.querySelector(".msg-state").textContent = label(d.state);
    const detail = li.querySelector(".draft-detail");
    detail.replaceChildren();
    if (d.state === "returned") {
      const why = document.createElement("p");
      why.textContent = (labels.reasons && labels.reasons[d.reason]) || label("returnedWhy");
      detail.append(why);
      if (d.note) {
        const note = document.createElement("blockquote");
        note.className = "draft-note";
        note.textContent = d.note;
        const intro = document.createElement("p");
        intro.textContent = label("noteIntro");
        detail.append(intro, note);
      }
      const again = document.createElement("p");
      again.className = "help";
      again.textContent = label("tryAgain");
      detail.append(again);
    } else if (d.state === "rephrase_proposed") {
      const intro = document.createElement("p");
      intro.textContent = label("proposalIntro");
      const proposal = document.createElement("p");
      proposal.className = "msg-body draft-proposal";
      proposal.textContent = d.proposal || "";
      detail.append(intro, proposal);
      if (d.note) {
        const note = document.createElement("blockquote");
        note.className = "draft-note";
        note.textContent = d.note;
        detail.append(note);
      }
      const actions = document.createElement("div");
      actions.className = "draft-actions";
      for (const [accept, text, cls] of [[true, label("accept"), "button primary"],
                                         [false, label("decline"), "button"]]) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = cls;
        button.textContent = text;
        button.addEventListener("click", () => {
          for (const b of actions.querySelectorAll("button")) b.disabled = true;
          submitAnswer(d.item, accept);
        });
        actions.append(button);
      }
      detail.append(actions);
    }
  }

  function submitAnswer(item, accept) {
    // The answer comes back as message.state (to every tab of mine).
    if (!send({ type: "rephrase.answer", item, accept })) {
      showError(label("offline"));
      for (const entry of drafts.values()) if (entry.item === item) render(entry, entry.data);
    }
  }

  // Where a held message stands: after the thread's message it followed when it was held.
  function placeDraft(entry) {
    const later = [...rendered.keys()].filter((s) => s > entry.afterSeq).sort((a, b) => a - b)[0];
    const anchor = later !== undefined ? rendered.get(later) : list.querySelector("li.pending");
    list.insertBefore(entry.li, anchor || null);
  }

  function upsert(d) {
    const id = key(d.client_id);
    let entry = drafts.get(id);
    if (!entry) {
      entry = { li: draftItem(d), afterSeq: d.after_seq ?? lastSeq(), item: d.item, data: d };
      drafts.set(id, entry);
      list.querySelector(".empty")?.remove();
    } else {
      if (d.after_seq !== undefined && d.after_seq !== null) entry.afterSeq = d.after_seq;
      entry.data = { ...entry.data, ...d };
    }
    render(entry, entry.data);
    placeDraft(entry);
  }

  function drop(clientId) {
    const entry = drafts.get(key(clientId));
    if (entry) { entry.li.remove(); drafts.delete(key(clientId)); showEmpty(); }
  }

  function markRephrased(seq) {
    rephrasedSeqs.add(seq);
    const li = rendered.get(seq);
    if (li) addNote(li, "rephrased-note", label("rephrased"));
  }

  function addNote(li, cls, text) {
    if (li.querySelector("." + cls)) { li.querySelector("." + cls).textContent = text; return; }
    const note = document.createElement("span");
    note.className = "msg-note " + cls;
    note.textContent = text;
    li.insertBefore(note, li.querySelector(".msg-meta"));
  }

  // -- the contact mode banner -----------------------------------------------------------------

  function showMode(mode) {
    if (!banner) return;
    banner.dataset.mode = mode;
    for (const p of banner.querySelectorAll("[data-mode-text]")) p.hidden = p.dataset.modeText !== mode;
    const blocked = Boolean(banner.dataset.blocks) && banner.dataset.blocks === mode;
    if (composer) composer.hidden = blocked;
    const why = banner.querySelector("[data-mode-blocked]");
    if (why) why.hidden = !blocked;
  }

  // -- the relay form (practitioners, in a parent's own thread) --------------------------------

  const relayForm = document.getElementById("relay-form");
  if (relayForm) {
    const relayBody = document.getElementById("relay-body");
    const relayError = document.getElementById("relay-error");
    relayForm.addEventListener("submit", (event) => {
      event.preventDefault();
      relayError.hidden = true;
      const sources = [...relayForm.querySelectorAll("input[name=source]:checked")].map((i) => Number(i.value));
      const body = relayBody.value.trim();
      const problem = !sources.length ? relayForm.dataset.tNoSources : (!body ? relayForm.dataset.tEmpty : "");
      if (problem) { relayError.textContent = problem; relayError.hidden = false; return; }
      submitFrame({ type: "message.relay", thread: threadId, client_id: crypto.randomUUID(), body, sources });
      relayBody.value = "";
      for (const input of relayForm.querySelectorAll("input[name=source]")) input.checked = false;
    });
  }

  function decorateRelay(li, id) {
    const sources = relaySources.get(id);
    if (sources) addNote(li, "relay-note", label("relayedFrom").replace("{n}", sources.length));
  }

  return {
    // A message about to be shown: mark rephrasings I accepted, and relays.
    decorate(li, msg) {
      if (rephrasedSeqs.has(msg.seq) && msg.sender && msg.sender.id === me) {
        addNote(li, "rephrased-note", label("rephrased"));
      }
      if (msg.state === "relayed") {
        addNote(li, "relay-note", label("relayed"));
        decorateRelay(li, msg.id);
      }
    },

    history(frame) {
      for (const [id, sources] of Object.entries(frame.relays || {})) {
        relaySources.set(Number(id), sources);
        const li = list.querySelector(`li[data-id="${Number(id)}"]`);
        if (li) decorateRelay(li, Number(id));
      }
      if (!frame.drafts) return;
      for (const d of frame.drafts) {
        if (d.state === "delivered") {
          drop(d.client_id);
          if (d.rephrased && d.seq) markRephrased(d.seq);
        } else {
          upsert(d);
        }
      }
      // Messages of a later page may have come after a held message's place: put each back.
      for (const entry of drafts.values()) placeDraft(entry);
    },

    // message.ack: true when the message was held for review (seq null), shown as waiting.
    ack(frame) {
      if (frame.sources) relaySources.set(frame.message.id, frame.sources);
      if (frame.message.seq !== null) return false;
      upsert({ ...frame.message, client_id: frame.client_id, held_at: frame.message.sent_at,
               item: frame.message.item ?? frame.message.id, after_seq: lastSeq() });
      return true;
    },

    frame(frame) {
      if (frame.type === "family.mode") {
        if (banner && Number(banner.dataset.family) === frame.family) showMode(frame.mode);
      } else if (frame.type === "message.state" && frame.thread === threadId) {
        if (frame.state === "delivered") {
          const entry = drafts.get(key(frame.client_id));
          const wasProposal = entry && entry.data.state === "rephrase_proposed";
          drop(frame.client_id);
          if (frame.message && wasProposal) markRephrased(frame.message.seq);
          if (frame.message && !rendered.has(frame.message.seq)) join(); // fetch it into place
        } else if (drafts.has(key(frame.client_id))) {
          upsert({ client_id: frame.client_id, item: frame.item, state: frame.state, reason: frame.reason,
                   note: frame.note, proposal: frame.proposal });
        } else {
          join(); // from another tab of mine: the history lists my held messages
        }
      }
    },
  };
}
