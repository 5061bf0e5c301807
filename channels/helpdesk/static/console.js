/*
 * The help-desk console. Plain JavaScript, no build step. Everything a citizen (or a colleague) wrote is
 * put in the page with textContent, never innerHTML. State-changing requests carry the session's CSRF
 * token in a header; the list and the open conversation follow the server's event stream live.
 */
(function () {
  "use strict";

  var API = "/helpdesk/api";
  var REASONS = {
    request_human: "Người dân muốn gặp nhân viên",
    misunderstood: "Trợ lý không hiểu câu hỏi (hai lần)",
    status_fault: "Lỗi hệ thống tra cứu hồ sơ"
  };
  var STATUS = { waiting: "Đang chờ", claimed: "Đang xử lý", closed: "Đã đóng" };
  var CHANNELS = { web: "Trang web", zalo: "Zalo" };

  var me = null;
  var csrf = "";
  var view = "waiting";
  var openId = null;
  var openTicket = null;
  var staff = [];
  var events = null;
  var refreshTimer = null;
  var draftIds = {}; // ticket id -> reply id of the draft being sent (reused when a send is retried)

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function randomId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function when(ms) {
    if (!ms) return "";
    var d = new Date(typeof ms === "number" && ms < 1e12 ? ms * 1000 : ms);
    return d.toLocaleString("vi-VN", { hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit" });
  }

  function say(text, bad) {
    var m = $("message");
    m.textContent = text || "";
    m.className = "message" + (bad ? " bad" : "");
  }

  function call(method, path, body) {
    var options = { method: method, headers: {}, credentials: "same-origin" };
    if (method !== "GET") options.headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(API + path, options).then(function (response) {
      if (response.status === 204) return {};
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 401 && path !== "/session") showSignIn();
        if (!response.ok) {
          var error = new Error(data.detail || ("HTTP " + response.status));
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  // ---- signing in and out ----
  function showSignIn(text) {
    if (events) { events.close(); events = null; }
    me = null;
    $("console").hidden = true;
    $("signin").hidden = false;
    $("signin-error").textContent = text || "";
    $("username").focus();
  }

  function signedIn(data) {
    me = data;
    csrf = data.csrf;
    $("signin").hidden = true;
    $("console").hidden = false;
    $("me-name").textContent = data.name;
    $("me-role").textContent = data.role === "supervisor" ? "giám sát viên" : "nhân viên";
    Array.prototype.forEach.call(document.querySelectorAll(".supervisor-only"), function (node) {
      node.hidden = data.role !== "supervisor";
    });
    call("GET", "/staff").then(function (d) { staff = d.staff || []; });
    listen();
    select(view);
  }

  $("signin-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var body = { username: $("username").value, password: $("password").value };
    call("POST", "/session", body).then(function (data) {
      $("password").value = "";
      signedIn(data);
    }).catch(function (error) {
      $("password").value = "";
      $("signin-error").textContent = error.message;
    });
  });

  $("signout").addEventListener("click", function () {
    call("POST", "/session/end").finally(function () { showSignIn("Đã đăng xuất."); });
  });

  // ---- live updates ----
  function listen() {
    if (events) events.close();
    events = new EventSource(API + "/events");
    events.addEventListener("ready", function () { $("live").textContent = "Trực tuyến"; refreshSoon(); });
    events.onmessage = function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (data.kind === "escalated" && view === "waiting") addTicket(data.ticket, true);
      refreshSoon();
      if (openId && data.ticket && String(data.ticket.id) === String(openId)) openDetail(openId, false);
    };
    events.onerror = function () { $("live").textContent = "Mất kết nối, đang thử lại…"; };
  }

  function refreshSoon() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(function () { refreshTimer = null; refresh(); }, 150);
  }

  // ---- the lists ----
  function select(name) {
    view = name;
    Array.prototype.forEach.call(document.querySelectorAll(".tabs button"), function (tab) {
      tab.setAttribute("aria-selected", tab.getAttribute("data-view") === name ? "true" : "false");
    });
    refresh();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".tabs button"), function (tab) {
    tab.addEventListener("click", function () { select(tab.getAttribute("data-view")); });
  });

  function refresh() {
    if (!me) return;
    call("GET", "/tickets?view=waiting").then(function (d) { count("waiting", d.tickets.length); });
    call("GET", "/tickets?view=mine").then(function (d) { count("mine", d.tickets.length); });
    if (view === "audit") { showAudit(); return; }
    $("audit").hidden = true;
    $("tickets").hidden = false;
    call("GET", "/tickets?view=" + view).then(function (d) {
      if (d.view !== view) return;
      clear($("tickets"));
      d.tickets.forEach(function (t) { addTicket(t, false); });
      $("empty").hidden = d.tickets.length > 0;
    }).catch(function (error) { say(error.message, true); });
  }

  function count(name, n) {
    var node = document.querySelector('[data-count="' + name + '"]');
    if (node) node.textContent = n ? String(n) : "";
  }

  function addTicket(t, fromEvent) {
    var list = $("tickets");
    if (list.querySelector('[data-ticket="' + t.id + '"]')) return;
    var item = el("li", "ticket" + (String(t.id) === String(openId) ? " open" : ""));
    item.setAttribute("data-ticket", t.id);
    item.tabIndex = 0;
    var title = t.procedure_name || t.question || "(không có câu hỏi)";
    item.appendChild(el("div", "title", "#" + t.id + " · " + title));
    var meta = (REASONS[t.reason] || t.reason) + " · " + (CHANNELS[t.channel] || t.channel) + " · " +
      (STATUS[t.status] || t.status) + (t.agent ? " · " + t.agent : "") + " · " + when(t.created_at);
    item.appendChild(el("div", "meta", meta));
    item.addEventListener("click", function () { openDetail(t.id, true); });
    item.addEventListener("keydown", function (e) { if (e.key === "Enter") openDetail(t.id, true); });
    list.appendChild(item);
    $("empty").hidden = true;
  }

  function showAudit() {
    $("tickets").hidden = true;
    $("empty").hidden = true;
    var list = $("audit");
    list.hidden = false;
    call("GET", "/audit").then(function (d) {
      clear(list);
      d.audit.forEach(function (a) {
        var line = when(a.at) + " · " + a.actor + " · " + a.action + (a.ticket ? " · #" + a.ticket : "") +
          (a.detail ? " · " + a.detail : "");
        list.appendChild(el("li", null, line));
      });
    }).catch(function (error) { say(error.message, true); });
  }

  // ---- one conversation ----
  function openDetail(id, fresh) {
    openId = id;
    Array.prototype.forEach.call(document.querySelectorAll(".ticket"), function (node) {
      node.classList.toggle("open", node.getAttribute("data-ticket") === String(id));
    });
    call("GET", "/tickets/" + id).then(function (t) {
      if (String(openId) !== String(t.id)) return;
      openTicket = t;
      showDetail(t);
      if (fresh) { $("transcript-box").open = false; clear($("transcript")); }
    }).catch(function (error) { say(error.message, true); });
  }

  function showDetail(t) {
    $("detail").hidden = false;
    $("detail-title").textContent = "#" + t.id + " · " + (STATUS[t.status] || t.status) + (t.agent ? " · " + t.agent : "");
    var summary = $("summary");
    clear(summary);
    function row(term, value) {
      if (!value) return;
      summary.appendChild(el("dt", null, term));
      summary.appendChild(el("dd", null, value));
    }
    row("Lý do", REASONS[t.reason] || t.reason);
    row("Kênh", CHANNELS[t.channel] || t.channel);
    row("Thủ tục", t.procedure_name ? t.procedure_name + (t.procedure_code ? " (" + t.procedure_code + ")" : "") : "");
    row("Câu hỏi", t.question);
    row("Tin nhắn gần nhất", (t.recent || []).map(function (r) {
      return (r.from === "user" ? "Người dân: " : "Trợ lý: ") + r.text;
    }).join("\n"));
    var feed = $("feed");
    clear(feed);
    (t.feed || []).forEach(function (f) {
      var item = el("li", f.from);
      var who = f.from === "citizen" ? "Người dân" : f.from === "agent" ? (f.agent || "Nhân viên") : "Ghi chú";
      item.appendChild(el("span", "who", who + " · " + when(f.at)));
      item.appendChild(document.createTextNode(String(f.text)));
      feed.appendChild(item);
    });
    var mineNow = t.status === "claimed" && me && t.agent === me.username;
    var supervisor = me && me.role === "supervisor";
    $("claim").hidden = t.status !== "waiting";
    $("reply-form").hidden = !mineNow;
    $("resume").hidden = !(mineNow || (supervisor && t.status !== "closed"));
    $("close").hidden = $("resume").hidden;
    $("transfer-box").hidden = !(mineNow || (supervisor && t.status !== "closed"));
    var select = $("transfer-to");
    clear(select);
    staff.forEach(function (s) {
      if (s.username === t.agent) return;
      var option = el("option", null, s.name + " (" + s.username + ")");
      option.value = s.username;
      select.appendChild(option);
    });
    if (!select.options.length) $("transfer-box").hidden = true; // no colleague to hand it to
  }

  function act(path, body, done) {
    if (!openId) return;
    var id = openId;
    call("POST", "/tickets/" + id + path, body).then(function (data) {
      say(data.warning || done);
      openDetail(id, false);
      refreshSoon();
    }).catch(function (error) { say(error.message, true); openDetail(id, false); });
  }

  $("claim").addEventListener("click", function () { act("/claim", undefined, "Đã nhận cuộc trò chuyện."); });
  $("resume").addEventListener("click", function () { act("/resume", undefined, "Đã trả lại cho trợ lý tự động."); });
  $("close").addEventListener("click", function () { act("/close", undefined, "Đã đóng cuộc trò chuyện."); });
  $("transfer").addEventListener("click", function () {
    act("/transfer", { to: $("transfer-to").value }, "Đã chuyển cuộc trò chuyện.");
  });

  $("reply-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var id = openId;
    var text = $("reply-text").value.trim();
    if (!id || !text) return;
    draftIds[id] = draftIds[id] || randomId();
    call("POST", "/tickets/" + id + "/reply", { reply_id: draftIds[id], text: text }).then(function () {
      delete draftIds[id];
      $("reply-text").value = "";
      say("Đã gửi.");
      openDetail(id, false);
    }).catch(function (error) {
      // The draft and its id stay: sending again resumes without repeating it to the citizen.
      say("Chưa gửi được: " + error.message, true);
    });
  });
  $("reply-text").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("reply-form").requestSubmit();
    }
  });

  $("transcript-box").addEventListener("toggle", function () {
    if (!$("transcript-box").open || !openId) return;
    call("GET", "/tickets/" + openId + "/transcript").then(function (d) {
      var list = $("transcript");
      clear(list);
      d.transcript.forEach(function (m) {
        var item = el("li", m.from);
        var who = m.from === "citizen" ? "Người dân" : m.agent ? m.agent : "Trợ lý";
        item.appendChild(el("span", "who", who + " · " + when(m.at)));
        item.appendChild(document.createTextNode(String(m.text)));
        list.appendChild(item);
      });
    }).catch(function (error) { say(error.message, true); });
  });

  // A reloaded console keeps its session (the cookie) and asks for the CSRF token again.
  call("GET", "/session").then(signedIn).catch(function () { showSignIn(); });
})();
