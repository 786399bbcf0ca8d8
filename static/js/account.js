// Small helpers for the account pages; everything works without them too.
// - [data-copy]: a button that copies its text (the authenticator key, the backup codes) and says
//   so in the element named by data-copy-status. Hidden where the clipboard is not available.
// - input[data-digits-message]: says at once, while typing, that a code is six digits.

for (const button of document.querySelectorAll("button[data-copy]")) {
  if (!navigator.clipboard || !window.isSecureContext) continue;
  const status = document.getElementById(button.dataset.copyStatus);
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      status.textContent = button.dataset.copied;
    } catch (err) {
      status.textContent = button.dataset.copyFailed;
    }
  });
}

for (const input of document.querySelectorAll("input[data-digits-message]")) {
  const note = document.createElement("p");
  note.className = "live-error";
  note.id = `${input.id}_live`;
  note.setAttribute("aria-live", "polite");
  input.after(note);
  input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${note.id}`.trim());
  input.addEventListener("input", () => {
    const wrong = /[^0-9\s]/.test(input.value);
    note.textContent = wrong ? input.dataset.digitsMessage : "";
    input.setAttribute("aria-invalid", wrong ? "true" : "false");
  });
}
