/*
 * Chat widget of the administrative-procedures assistant. Embed with one tag:
 *   <script src="https://GATEWAY/widget.js"></script>
 * Plain JavaScript, no build step. Everything the citizen or the assistant wrote is put in the page
 * with textContent (never innerHTML); only http(s) links become links.
 */
(function () {
  "use strict";
  if (window.__tthcWidget) return;
  window.__tthcWidget = true;

  var script = document.currentScript;
  var base = new URL(script ? script.src : "/widget.js", window.location.href);
  var HTTP_BASE = base.origin;
  var WS_BASE = (base.protocol === "https:" ? "wss://" : "ws://") + base.host;
  var STORAGE_ID = "tthc-widget:conversation";
  var STORAGE_OPEN = "tthc-widget:open";
  var ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
  var LINK_PATTERN = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}]/g;
  var MAX_CHARS = 2000;

  function randomId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function storage(key, value) {
    try {
      if (value === undefined) return window.localStorage.getItem(key);
      window.localStorage.setItem(key, value);
    } catch (e) { /* private mode: the conversation then lasts as long as the page */ }
    return null;
  }

  var conversationId = storage(STORAGE_ID);
  if (!conversationId || !ID_PATTERN.test(conversationId)) {
    conversationId = randomId();
    storage(STORAGE_ID, conversationId);
  }

  // ---- the page elements (built with createElement; text only through textContent) ----
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = HTTP_BASE + "/widget.css";
  document.head.appendChild(style);

  var root = el("div", "tthc-widget");
  var bubble = el("button", "tthc-bubble", "Hỏi đáp thủ tục");
  bubble.type = "button";
  bubble.setAttribute("aria-label", "Mở trợ lý thủ tục hành chính");
  var panel = el("section", "tthc-panel");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Trợ lý thủ tục hành chính");
  panel.hidden = true;

  var header = el("header", "tthc-header");
  var title = el("div", "tthc-title");
  title.appendChild(el("strong", null, "Trợ lý thủ tục hành chính"));
  var status = el("span", "tthc-status", "Đang kết nối…");
  title.appendChild(status);
  var close = el("button", "tthc-close", "×");
  close.type = "button";
  close.setAttribute("aria-label", "Thu nhỏ cửa sổ trò chuyện");
  header.appendChild(title);
  header.appendChild(close);

  var log = el("ol", "tthc-log");
  log.setAttribute("aria-live", "polite");
  var welcome = el("li", "tthc-message tthc-bot");
  welcome.appendChild(el("p", "tthc-text",
    "Xin chào! Tôi trả lời các câu hỏi về thủ tục hành chính: hồ sơ cần chuẩn bị, lệ phí, " +
    "thời gian giải quyết, nơi nộp. Ví dụ: “làm hộ chiếu hết bao nhiêu tiền”."));
  log.appendChild(welcome);

  var typing = el("div", "tthc-typing");
  typing.setAttribute("aria-label", "Trợ lý đang trả lời");
  typing.appendChild(el("span", "tthc-dot"));
  typing.appendChild(el("span", "tthc-dot"));
  typing.appendChild(el("span", "tthc-dot"));
  typing.appendChild(el("span", "tthc-typing-text", "Trợ lý đang trả lời…"));
  typing.hidden = true;

  var form = el("form", "tthc-form");
  var input = el("textarea", "tthc-input");
  input.rows = 1;
  input.maxLength = MAX_CHARS;
  input.placeholder = "Nhập câu hỏi của bạn…";
  input.setAttribute("aria-label", "Câu hỏi của bạn");
  var sendButton = el("button", "tthc-send", "Gửi");
  sendButton.type = "submit";
  form.appendChild(input);
  form.appendChild(sendButton);
  var note = el("p", "tthc-note", "Thông tin tham khảo từ Cơ sở dữ liệu quốc gia về thủ tục hành chính.");

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  panel.appendChild(note);
  root.appendChild(panel);
  root.appendChild(bubble);

  function setOpen(open) {
    panel.hidden = !open;
    bubble.hidden = open;
    storage(STORAGE_OPEN, open ? "1" : "0");
    if (open) { input.focus(); scrollDown(); }
  }
  bubble.addEventListener("click", function () { setOpen(true); });
  close.addEventListener("click", function () { setOpen(false); });

  // ---- the transcript ----
  var lastId = null;          // id of the last transcript entry shown
  var shown = {};             // transcript entry ids already in the log
  var echoes = {};            // message_id -> the citizen's message shown before the server had it
  var waiting = {};           // message_ids the assistant has not answered yet
  var outbox = {};            // message_id -> body not yet acknowledged by the server
  var outboxOrder = [];

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function updateTyping() {
    typing.hidden = Object.keys(waiting).length === 0;
    if (!typing.hidden) scrollDown();
  }

  function appendText(parent, text) {
    // Text with its http(s) addresses as links; every piece goes in through textContent.
    var p = el("p", "tthc-text");
    var at = 0;
    var match;
    LINK_PATTERN.lastIndex = 0;
    while ((match = LINK_PATTERN.exec(text)) !== null) {
      if (match.index > at) p.appendChild(document.createTextNode(text.slice(at, match.index)));
      p.appendChild(link(match[0]));
      at = match.index + match[0].length;
    }
    if (at < text.length) p.appendChild(document.createTextNode(text.slice(at)));
    parent.appendChild(p);
  }

  function link(address) {
    var url;
    try { url = new URL(address); } catch (e) { return document.createTextNode(address); }
    if (url.protocol !== "http:" && url.protocol !== "https:") return document.createTextNode(address);
    var a = el("a", null, address);
    a.href = url.href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function showUser(messageId, text) {
    var item = el("li", "tthc-message tthc-user");
    item.appendChild(el("p", "tthc-text", text));
    log.appendChild(item);
    echoes[messageId] = item;
    scrollDown();
    return item;
  }

  function showBot(entry) {
    var item = el("li", "tthc-message tthc-bot");
    if (entry.text) appendText(item, String(entry.text));
    var buttons = Array.isArray(entry.buttons) ? entry.buttons : [];
    if (buttons.length) {
      var row = el("div", "tthc-quick-replies");
      buttons.forEach(function (button) {
        var quick = el("button", "tthc-quick-reply", String(button.title));
        quick.type = "button";
        quick.addEventListener("click", function () { send(String(button.title), String(button.payload)); });
        row.appendChild(quick);
      });
      item.appendChild(row);
    }
    log.appendChild(item);
    return item;
  }

  function showNotice(text) {
    var item = el("li", "tthc-message tthc-notice");
    item.appendChild(el("p", "tthc-text", text));
    log.appendChild(item);
    scrollDown();
  }

  function receive(entries) {
    var firstAnswer = null;
    entries.forEach(function (entry) {
      if (!entry || shown[entry.id]) return;
      shown[entry.id] = true;
      lastId = entry.id;
      if (entry.kind === "user") {
        if (!echoes[entry.message_id]) showUser(entry.message_id, String(entry.text));
        waiting[entry.message_id] = true;
      } else if (entry.kind === "bot") {
        var item = showBot(entry);
        firstAnswer = firstAnswer || item;
      } else if (entry.kind === "answered") {
        delete waiting[entry.reply_to];
      }
    });
    updateTyping();
    // Long answers are read from their first line: show the start of the new answer, not its end.
    if (firstAnswer) log.scrollTop = Math.max(0, firstAnswer.offsetTop - 8);
  }

  // ---- sending: over the WebSocket when it is open, else over HTTP; unacknowledged bodies are resent ----
  function send(text, payload) {
    text = text.trim();
    if (!text) return;
    if (text.length > MAX_CHARS) { showNotice("Câu hỏi quá dài (tối đa " + MAX_CHARS + " ký tự)."); return; }
    var body = { message_id: randomId(), text: text };
    if (payload) body.payload = payload;
    showUser(body.message_id, text);
    waiting[body.message_id] = true;
    outbox[body.message_id] = body;
    outboxOrder.push(body.message_id);
    updateTyping();
    transmit(body);
  }

  function acknowledged(messageId) {
    delete outbox[messageId];
    outboxOrder = outboxOrder.filter(function (id) { return id !== messageId; });
  }

  function refused(messageId, detail) {
    if (messageId) { acknowledged(messageId); delete waiting[messageId]; }
    updateTyping();
    showNotice("Không gửi được tin nhắn: " + detail);
  }

  function flushOutbox() {
    outboxOrder.forEach(function (id) { if (outbox[id]) transmit(outbox[id]); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  var socket = null;
  var useHttp = !("WebSocket" in window);
  var socketFailures = 0;

  function transmit(body) {
    if (!useHttp && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(body));
    } else if (useHttp) {
      post(body);
    } // else: sent by flushOutbox when the socket opens
  }

  function setStatus(text) { status.textContent = text; }

  function connect() {
    var url = WS_BASE + "/ws/web/" + encodeURIComponent(conversationId) +
      (lastId ? "?after=" + encodeURIComponent(lastId) : "");
    var opened = false;
    try { socket = new WebSocket(url); } catch (e) { switchToHttp(); return; }
    socket.onopen = function () {
      opened = true;
      socketFailures = 0;
      setStatus("Trực tuyến");
      flushOutbox();
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "entries") receive(frame.entries || []);
      else if (frame.type === "ack") acknowledged(frame.message_id);
      else if (frame.type === "error") refused(frame.message_id, String(frame.detail));
    };
    socket.onclose = function () {
      socket = null;
      socketFailures += 1;
      if (!opened && socketFailures >= 2) { switchToHttp(); return; }
      setStatus("Mất kết nối, đang thử lại…");
      setTimeout(connect, Math.min(1000 * socketFailures, 10000));
    };
  }

  // ---- HTTP fallback: POST to send, long-poll GET to receive ----
  var polling = false;

  function switchToHttp() {
    useHttp = true;
    setStatus("Trực tuyến");
    flushOutbox();
    if (!polling) poll(0);
  }

  function apiUrl() { return HTTP_BASE + "/api/web/" + encodeURIComponent(conversationId) + "/messages"; }

  function post(body) {
    fetch(apiUrl(), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (response) {
        if (response.ok) { acknowledged(body.message_id); return; }
        if (response.status >= 400 && response.status < 500) {
          return response.json().then(function (data) { refused(body.message_id, String(data.detail)); });
        }
        throw new Error("HTTP " + response.status);
      })
      .catch(function () { setTimeout(function () { if (outbox[body.message_id]) post(body); }, 2000); });
  }

  function poll(failures) {
    polling = true;
    var url = apiUrl() + "?wait=20" + (lastId ? "&after=" + encodeURIComponent(lastId) : "");
    fetch(url)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { setStatus("Trực tuyến"); receive(data.entries || []); poll(0); })
      .catch(function () {
        setStatus("Mất kết nối, đang thử lại…");
        setTimeout(function () { poll(failures + 1); }, Math.min(1000 * (failures + 1), 10000));
      });
  }

  function start() {
    document.body.appendChild(root);
    if (storage(STORAGE_OPEN) === "1") setOpen(true);
    if (useHttp) switchToHttp(); else connect();
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
