// A gentle tone hint while a parent types in the parents' thread (tone.check -> tone.result). Only
// the writer sees it; the parent may always send. Debounced: one check after a pause in typing, the
// newest text only; an answer for older text is dropped (matched by ref). Tips are the server's, in
// the user's language, and go in through textContent.

const DEBOUNCE_MS = 700;
const MIN_CHARS = 4;

// `key` tells several hints on one page apart (the plan's comment and reason boxes): their own box
// id and refs ("tone-<key>-<n>"); the chat has one hint and no key.
export function toneHint({ input, send, labels, key = "" }) {
  if (!input || !labels || !labels.toneCheck) return { frame: () => false, clear: () => {} };
  const box = document.createElement("div");
  box.className = "tone-hint";
  box.id = key ? `tone-hint-${key}` : "tone-hint";
  box.setAttribute("role", "status");
  box.setAttribute("aria-live", "polite");
  box.hidden = true;
  const title = document.createElement("p");
  title.className = "tone-hint-title";
  const tips = document.createElement("ul");
  tips.className = "tone-hint-tips";
  const still = document.createElement("p");
  still.className = "tone-hint-still";
  still.textContent = labels.toneStill || "";
  box.append(title, tips, still);
  input.insertAdjacentElement("afterend", box);

  let timer = null;
  let counter = 0;
  let wanted = null; // the ref of the newest check sent

  function clear() {
    clearTimeout(timer);
    wanted = null;
    box.hidden = true;
    tips.replaceChildren();
  }

  function check() {
    const text = input.value.trim();
    if (text.length < MIN_CHARS) { clear(); return; }
    counter += 1;
    wanted = key ? `tone-${key}-${counter}` : `tone-${counter}`;
    send({ type: "tone.check", text, ref: wanted });
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, DEBOUNCE_MS);
  });

  // Returns true when the frame was the hint's own.
  function frame(f) {
    if (f.type === "error" && typeof f.ref === "string" && f.ref.startsWith("tone-")) {
      if (f.code === "rate_limited" && f.ref === wanted) { clearTimeout(timer); timer = setTimeout(check, 1500); }
      return true;
    }
    if (f.type !== "tone.result") return false;
    if (f.ref !== wanted) return true;
    if (f.level === "ok" || !input.value.trim()) { box.hidden = true; tips.replaceChildren(); return true; }
    box.dataset.level = f.level;
    title.textContent = (labels.toneLevels && labels.toneLevels[f.level]) || labels.toneTitle || "";
    tips.replaceChildren(...f.tips.map((tip) => {
      const li = document.createElement("li");
      li.textContent = tip;
      return li;
    }));
    box.hidden = false;
    return true;
  }

  return { frame, clear };
}
