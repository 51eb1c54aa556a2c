// The ccm-isu GraphQL console: runs operations with variables and an Authorization header,
// logs in through the `login` mutation, browses the schema and completes field names, with
// no asset from outside the server (a secretariat's network may have no internet).
(function () {
  "use strict";

  var ENDPOINT = "/graphql";
  var $ = function (id) { return document.getElementById(id); };
  var query = $("query"), variables = $("variables"), auth = $("authorization");
  var result = $("result"), status = $("status"), completions = $("completions");
  var schema = null; // name -> introspected type

  // ------------------------------------------------------------------ transport

  function post(body, headers) {
    var h = { "Content-Type": "application/json", "Accept": "application/json" };
    Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
    return fetch(ENDPOINT, { method: "POST", headers: h, body: JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (text) {
          var json;
          try { json = JSON.parse(text); } catch (e) { json = { raw: text }; }
          return { status: r.status, json: json };
        });
      });
  }

  function authHeaders() {
    var value = auth.value.trim();
    return value ? { "Authorization": value } : {};
  }

  function setStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  // ------------------------------------------------------------------ session

  var LOGIN = "mutation ConsoleLogin($email: String!, $password: String!) { login(input: {email: $email, password: $password}) { accessToken refreshToken user { email role state { code } } userErrors { message code } } }";
  var REFRESH = "mutation ConsoleRefresh($t: String!) { refreshSession(input: {refreshToken: $t}) { accessToken refreshToken user { email role state { code } } userErrors { message code } } }";
  var LOGOUT = "mutation ConsoleLogout($t: String!) { logout(input: {refreshToken: $t}) { userErrors { message } } }";

  function showSession(user) {
    $("login").hidden = !!user;
    $("session").hidden = !user;
    $("who").textContent = user
      ? user.email + " · " + user.role + (user.state ? " · " + user.state.code : "")
      : "";
  }

  function keep(payload) {
    auth.value = "Bearer " + payload.accessToken;
    sessionStorage.setItem("ccm-isu.refresh", payload.refreshToken);
    sessionStorage.setItem("ccm-isu.user", JSON.stringify(payload.user));
    showSession(payload.user);
  }

  function forget() {
    auth.value = "";
    sessionStorage.removeItem("ccm-isu.refresh");
    sessionStorage.removeItem("ccm-isu.user");
    showSession(null);
  }

  $("login").addEventListener("submit", function (e) {
    e.preventDefault();
    setStatus("Logging in…");
    post({ query: LOGIN, variables: { email: $("email").value, password: $("password").value } })
      .then(function (r) {
        var p = r.json.data && r.json.data.login;
        if (p && p.accessToken) {
          keep(p);
          $("password").value = "";
          setStatus("Logged in as " + p.user.email + ".");
        } else {
          var why = p && p.userErrors.length ? p.userErrors[0].message : JSON.stringify(r.json);
          setStatus("Login refused: " + why, true);
        }
      })
      .catch(function (err) { setStatus("Login failed: " + err, true); });
  });

  $("logout").addEventListener("click", function () {
    var t = sessionStorage.getItem("ccm-isu.refresh");
    if (t) { post({ query: LOGOUT, variables: { t: t } }); }
    forget();
    setStatus("Logged out.");
  });

  // An access token lasts 15 minutes: on a 401, rotate the refresh token once and retry.
  function refreshSession() {
    var t = sessionStorage.getItem("ccm-isu.refresh");
    if (!t) { return Promise.resolve(false); }
    return post({ query: REFRESH, variables: { t: t } }).then(function (r) {
      var p = r.json.data && r.json.data.refreshSession;
      if (p && p.accessToken) { keep(p); return true; }
      forget();
      return false;
    });
  }

  // ------------------------------------------------------------------ running operations

  function operationNames(text) {
    var names = [], re = /(^|[^\w$])(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/g, m;
    var clean = stripIgnored(text);
    while ((m = re.exec(clean))) { names.push(m[3]); }
    return names;
  }

  function updateOperations() {
    var names = operationNames(query.value), select = $("operation"), before = select.value;
    $("operation-label").hidden = names.length < 2;
    select.innerHTML = "";
    names.forEach(function (n) {
      var o = document.createElement("option");
      o.value = o.textContent = n;
      select.appendChild(o);
    });
    if (names.indexOf(before) >= 0) { select.value = before; }
  }

  function run(retried) {
    var vars;
    try {
      vars = variables.value.trim() ? JSON.parse(variables.value) : {};
    } catch (e) {
      setStatus("The variables are not JSON: " + e.message, true);
      return;
    }
    var names = operationNames(query.value);
    var body = { query: query.value, variables: vars };
    if (names.length > 1) { body.operationName = $("operation").value; }
    setStatus("Running…");
    var started = performance.now();
    post(body, authHeaders())
      .then(function (r) {
        if (r.status === 401 && !retried) {
          return refreshSession().then(function (ok) {
            if (ok) { return run(true); }
            show(r, started);
          });
        }
        show(r, started);
      })
      .catch(function (err) { setStatus("Request failed: " + err, true); });
  }

  function show(r, started) {
    result.textContent = JSON.stringify(r.json, null, 2);
    var ms = Math.round(performance.now() - started);
    var errors = (r.json.errors || []).length;
    setStatus("HTTP " + r.status + " · " + ms + " ms" + (errors ? " · " + errors + " error(s)" : ""), r.status >= 400 || errors > 0);
  }

  $("run").addEventListener("click", function () { run(false); });

  // ------------------------------------------------------------------ examples

  var examples = [];
  try { examples = JSON.parse($("contract-operations").textContent); } catch (e) { examples = []; }
  examples.forEach(function (ex, i) {
    var o = document.createElement("option");
    o.value = String(i);
    o.textContent = ex.file + " · " + ex.name;
    $("examples").appendChild(o);
  });
  $("examples").addEventListener("change", function () {
    var ex = examples[Number(this.value)];
    if (!ex) { return; }
    query.value = ex.source;
    variables.value = "{}";
    updateOperations();
  });

  // ------------------------------------------------------------------ schema

  var INTROSPECTION = "query ConsoleSchema { __schema { queryType { name } mutationType { name } types { name kind description fields(includeDeprecated: false) { name description args { name type { ...T } } type { ...T } } inputFields { name description type { ...T } } enumValues(includeDeprecated: false) { name } } } } fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

  function typeName(t) {
    if (!t) { return ""; }
    if (t.kind === "NON_NULL") { return typeName(t.ofType) + "!"; }
    if (t.kind === "LIST") { return "[" + typeName(t.ofType) + "]"; }
    return t.name;
  }

  function namedType(t) {
    while (t && t.ofType) { t = t.ofType; }
    return t && t.name;
  }

  var roots = { query: "Query", mutation: "Mutation" };

  function loadSchema() {
    post({ query: INTROSPECTION }, {}).then(function (r) {
      var s = r.json.data && r.json.data.__schema;
      if (!s) {
        $("schema-body").textContent = "The schema is not available (introspection may be off).";
        return;
      }
      schema = {};
      s.types.forEach(function (t) { if (t.name.indexOf("__") !== 0) { schema[t.name] = t; } });
      roots.query = s.queryType.name;
      if (s.mutationType) { roots.mutation = s.mutationType.name; }
      renderSchema("");
    }).catch(function () {
      $("schema-body").textContent = "The schema could not be loaded.";
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function typeLink(t) {
    var a = el("span", "type", typeName(t));
    var n = namedType(t);
    a.addEventListener("click", function () { $("type-filter").value = n; renderSchema(n); });
    return a;
  }

  function renderSchema(filter) {
    var body = $("schema-body");
    body.innerHTML = "";
    if (!schema) { return; }
    var f = filter.trim().toLowerCase();
    var names = Object.keys(schema).sort();
    [roots.query, roots.mutation].reverse().forEach(function (r) {
      var i = names.indexOf(r);
      if (i >= 0) { names.splice(i, 1); names.unshift(r); }
    });
    var shown = 0;
    names.forEach(function (name) {
      var t = schema[name];
      var fields = t.fields || t.inputFields || [];
      var matchesType = !f || name.toLowerCase().indexOf(f) >= 0;
      var matching = fields.filter(function (x) { return !f || matchesType || x.name.toLowerCase().indexOf(f) >= 0; });
      if (!matchesType && !matching.length) { return; }
      if (shown++ > 60) { return; }
      body.appendChild(el("h3", "", name + " (" + t.kind.toLowerCase().replace("_", " ") + ")"));
      if (t.description && matchesType) { body.appendChild(el("div", "desc", t.description)); }
      matching.forEach(function (x) {
        var line = el("div", "field");
        var args = (x.args || []).map(function (a) { return a.name + ": " + typeName(a.type); }).join(", ");
        line.appendChild(document.createTextNode(x.name + (args ? "(" + args + ")" : "") + ": "));
        line.appendChild(typeLink(x.type));
        body.appendChild(line);
        if (x.description && f) { body.appendChild(el("div", "desc", x.description)); }
      });
      (t.enumValues || []).forEach(function (v) { body.appendChild(el("div", "field", v.name)); });
    });
    if (!shown) { body.textContent = "Nothing matches."; }
  }

  $("type-filter").addEventListener("input", function () { renderSchema(this.value); });

  // ------------------------------------------------------------------ completion

  // Blanks out strings and comments, keeping offsets, so braces inside them don't count.
  function stripIgnored(text) {
    return text
      .replace(/"""[\s\S]*?("""|$)/g, function (m) { return m.replace(/[^\n]/g, " "); })
      .replace(/"(?:\\.|[^"\\\n])*("|$)/g, function (m) { return m.replace(/./g, " "); })
      .replace(/#[^\n]*/g, function (m) { return m.replace(/./g, " "); });
  }

  // The type whose selection set holds `offset`, found by walking the document's braces.
  function typeAt(text, offset) {
    var src = stripIgnored(text.slice(0, offset));
    var tokens = src.match(/\.\.\.|[_A-Za-z][_0-9A-Za-z]*|[{}():$@!=\[\],]/g) || [];
    var stack = [], lastField = null, pendingType = null, parens = 0, opRoot = null, prev = null;
    for (var i = 0; i < tokens.length; i++) {
      var tok = tokens[i];
      if (tok === "(") { parens++; continue; }
      if (tok === ")") { parens--; continue; }
      if (parens > 0) { continue; }
      if (prev === "@") { prev = tok; continue; } // a directive's name is not a field
      if (stack.length === 0 && (tok === "query" || tok === "mutation" || tok === "subscription")) {
        opRoot = roots[tok] || null; continue;
      }
      if (tok === "on" && i + 1 < tokens.length) { pendingType = tokens[i + 1]; i++; continue; }
      if (tok === "{") {
        var next = null;
        if (pendingType) { next = pendingType; }
        else if (stack.length === 0) { next = opRoot || roots.query; }
        else { next = fieldType(stack[stack.length - 1], lastField); }
        stack.push(next);
        pendingType = null; lastField = null; opRoot = null;
        continue;
      }
      if (tok === "}") { stack.pop(); lastField = null; continue; }
      if (tok === ":") { lastField = null; prev = tok; continue; }
      if (/^[_A-Za-z]/.test(tok) && stack.length > 0) { lastField = tok; }
      prev = tok;
    }
    return stack.length ? stack[stack.length - 1] : null;
  }

  function fieldType(parent, field) {
    if (!schema || !parent || !field || !schema[parent]) { return null; }
    var f = (schema[parent].fields || []).filter(function (x) { return x.name === field; })[0];
    return f ? namedType(f.type) : null;
  }

  var items = [], active = 0, wordStart = 0;

  function hideCompletions() { completions.hidden = true; items = []; }

  function showCompletions(force) {
    if (!schema) { return; }
    var pos = query.selectionStart, text = query.value;
    var m = /[_A-Za-z][_0-9A-Za-z]*$/.exec(text.slice(0, pos));
    var prefix = m ? m[0] : "";
    if (!prefix && !force) { hideCompletions(); return; }
    wordStart = pos - prefix.length;
    var type = typeAt(text, wordStart);
    var t = type && schema[type];
    if (!t || !t.fields) { hideCompletions(); return; }
    var fields = t.fields.concat([{ name: "__typename", type: { kind: "SCALAR", name: "String" } }]);
    items = fields.filter(function (f) { return f.name.toLowerCase().indexOf(prefix.toLowerCase()) === 0 && f.name !== prefix; });
    if (!items.length) { hideCompletions(); return; }
    active = 0;
    completions.innerHTML = "";
    items.forEach(function (f, i) {
      var li = el("li", i === 0 ? "active" : "");
      li.setAttribute("role", "option");
      li.appendChild(el("span", "", f.name));
      li.appendChild(el("small", "", typeName(f.type)));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); accept(i); });
      completions.appendChild(li);
    });
    var lines = text.slice(0, pos).split("\n");
    completions.style.top = Math.min(lines.length * 19 + 8, query.clientHeight - 40) + "px";
    completions.style.left = Math.min(lines[lines.length - 1].length * 7.8 + 12, query.clientWidth - 220) + "px";
    completions.hidden = false;
  }

  function accept(i) {
    var f = items[i];
    if (!f) { return; }
    var pos = query.selectionStart;
    query.value = query.value.slice(0, wordStart) + f.name + query.value.slice(pos);
    var at = wordStart + f.name.length;
    query.setSelectionRange(at, at);
    hideCompletions();
    query.focus();
  }

  function move(delta) {
    var lis = completions.children;
    if (!lis.length) { return; }
    lis[active].className = "";
    active = (active + delta + lis.length) % lis.length;
    lis[active].className = "active";
    lis[active].scrollIntoView({ block: "nearest" });
  }

  query.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); hideCompletions(); run(false); return; }
    if (e.ctrlKey && e.key === " ") { e.preventDefault(); showCompletions(true); return; }
    if (!completions.hidden) {
      if (e.key === "ArrowDown") { e.preventDefault(); move(1); return; }
      if (e.key === "ArrowUp") { e.preventDefault(); move(-1); return; }
      if (e.key === "Enter" || e.key === "Tab") { e.preventDefault(); accept(active); return; }
      if (e.key === "Escape") { hideCompletions(); return; }
    } else if (e.key === "Tab") {
      e.preventDefault();
      var p = query.selectionStart;
      query.value = query.value.slice(0, p) + "  " + query.value.slice(query.selectionEnd);
      query.setSelectionRange(p + 2, p + 2);
    }
  });
  query.addEventListener("input", function () { showCompletions(false); updateOperations(); });
  query.addEventListener("blur", function () { setTimeout(hideCompletions, 150); });
  [variables, auth].forEach(function (x) {
    x.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); run(false); }
    });
  });

  // ------------------------------------------------------------------ start

  try {
    var user = JSON.parse(sessionStorage.getItem("ccm-isu.user") || "null");
    if (user && sessionStorage.getItem("ccm-isu.refresh")) {
      refreshSession().then(function (ok) { if (ok) { setStatus("Session resumed."); } });
      showSession(user);
    }
  } catch (e) { forget(); }
  updateOperations();
  loadSchema();

  // For tests and curious users: the completion engine, without the DOM.
  window.ccmConsole = { typeAt: typeAt, operationNames: operationNames };
})();
