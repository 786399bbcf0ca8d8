// The one socket per tab (/ws/), shared by the chat and the plan editor: reconnects with
// back-off and jitter, pings every 25 s (which also tells the server this user is online), and
// reloads the page when the session ended (the page then sends the user to the login).
// Each page says what to do when the socket opens, on each frame, and when it drops (with the
// close code: 4009 and 1009 mean a frame was too large, and sending it again would not help).

const SESSION_ENDED = new Set([4001, 1008]);
const PING_MS = 25000;

export function openSocket({ onOpen, onFrame, onDrop }) {
  let socket = null;
  let attempt = 0;
  let pingTimer = null;

  const isOpen = () => socket !== null && socket.readyState === WebSocket.OPEN;
  const send = (frame) => {
    if (!isOpen()) return false;
    socket.send(JSON.stringify(frame));
    return true;
  };

  function connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${proto}//${location.host}/ws/`);
    socket.addEventListener("open", () => {
      attempt = 0;
      clearInterval(pingTimer);
      pingTimer = setInterval(() => send({ type: "ping" }), PING_MS);
      onOpen();
    });
    socket.addEventListener("message", (event) => {
      try { onFrame(JSON.parse(event.data)); } catch (err) { console.error(err); }
    });
    socket.addEventListener("close", (event) => {
      clearInterval(pingTimer);
      if (SESSION_ENDED.has(event.code)) { location.reload(); return; }
      attempt += 1;
      onDrop(attempt, event.code);
      const delay = Math.min(30000, 1000 * 2 ** Math.min(attempt - 1, 5)) * (0.7 + Math.random() * 0.6);
      setTimeout(connect, delay);
    });
  }

  connect();
  return { send, isOpen };
}
