import { openSocket } from "./socket.js";

// A practitioner's caseload on their home page: the review queue's size of each family, live.
// The server pushes {"type": "review.count", "family": ID, "size": N} to the practitioners of a
// family whenever its queue changes (docs/PROTOCOL.md). Nothing here is needed to use the page:
// without JavaScript the figures are those of the last load.

const counters = new Map();
for (const link of document.querySelectorAll("[data-queue-family]")) {
  counters.set(Number(link.dataset.queueFamily), link);
}

if (counters.size > 0) {
  openSocket({
    // Says on the page whether the figures are live (a reconnect re-reads nothing: a reload does).
    onOpen() { document.getElementById("caseload").dataset.live = "on"; },
    onDrop() { document.getElementById("caseload").dataset.live = "off"; },
    onFrame(frame) {
      if (frame.type !== "review.count") return;
      const link = counters.get(frame.family);
      if (!link || !Number.isInteger(frame.size)) return;
      link.querySelector("[data-queue-size]").textContent = String(frame.size);
      link.classList.toggle("fact-waiting", frame.size > 0);
    },
  });
}
