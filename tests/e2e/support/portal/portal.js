// A portal page for the embedding tests: frames the viewer named by `?viewer=`, records every
// message the viewer sends, and lets the test send it messages with `window.send`.
const viewer = new URL(new URLSearchParams(location.search).get("viewer"));
window.messages = [];
window.addEventListener("message", (event) => {
  if (event.origin === viewer.origin) window.messages.push(event.data);
});
const frame = document.createElement("iframe");
frame.src = viewer.href;
frame.title = "Trace viewer";
frame.width = "1200";
frame.height = "800";
document.body.append(frame);
window.send = (message) => frame.contentWindow.postMessage(message, viewer.origin);
