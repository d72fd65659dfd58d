// Search for the lessons site. The index is `search-index.js` (loaded before
// this script), so search works from file:// without fetching anything.
// Without JavaScript the search page lists every page instead.
(function () {
  "use strict";

  var entries = window.TAILWART_SEARCH || [];
  var form = document.getElementById("SearchForm");
  var input = document.getElementById("SearchQuery");
  var status = document.getElementById("SearchStatus");
  var list = document.getElementById("SearchResults");
  var everything = document.getElementById("Everything");
  if (!form || !input || !status || !list) return;

  var kinds = { lesson: "lesson", section: "section", rule: "rule", file: "file", error: "error message", page: "page" };
  var limit = 50;

  function fold(text) {
    return text.toLowerCase().replace(/\s+/g, " ");
  }

  // Lowercased copies, made once.
  var folded = entries.map(function (e) {
    return { title: fold(e.t), body: fold(e.s + " " + e.x) };
  });

  function search(query) {
    var phrase = fold(query).trim();
    var terms = phrase.split(" ").filter(function (t) { return t.length > 0; });
    if (terms.length === 0) return [];
    var hits = [];
    for (var i = 0; i < entries.length; i++) {
      var f = folded[i];
      var score = 0;
      var matched = true;
      for (var k = 0; k < terms.length; k++) {
        if (f.title.indexOf(terms[k]) >= 0) score += 10;
        else if (f.body.indexOf(terms[k]) >= 0) score += 1;
        else { matched = false; break; }
      }
      if (!matched) continue;
      // A pasted error message matches as a whole.
      if (terms.length > 1 && (f.title + " " + f.body).indexOf(phrase) >= 0) score += 25;
      if (f.title === phrase) score += 50;
      hits.push({ score: score, index: i });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.index - b.index; });
    return hits;
  }

  function snippet(entry, terms) {
    var text = entry.s || entry.x || "";
    if (!entry.s && entry.x) {
      var lower = entry.x.toLowerCase();
      var at = terms.length ? lower.indexOf(terms[0]) : -1;
      if (at > 60) text = "… " + entry.x.slice(at - 40);
    }
    return text.length > 220 ? text.slice(0, 217) + "…" : text;
  }

  function show(query) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var hits = search(query);
    var terms = fold(query).trim().split(" ");
    if (!query.trim()) {
      status.textContent = "";
      if (everything) everything.hidden = false;
      return;
    }
    if (everything) everything.hidden = hits.length > 0;
    status.textContent = hits.length === 0
      ? "Nothing matches \u201c" + query.trim() + "\u201d."
      : hits.length + (hits.length === 1 ? " page matches." : " pages match.") + (hits.length > limit ? " Showing the first " + limit + "." : "");
    hits.slice(0, limit).forEach(function (hit) {
      var e = entries[hit.index];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e.u;
      a.textContent = e.t;
      li.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = kinds[e.k] || e.k;
      li.appendChild(kind);
      var text = snippet(e, terms);
      if (text) {
        var p = document.createElement("p");
        p.textContent = text;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  function results() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 80);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    try {
      history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    } catch (e) {
      // Some browsers refuse history changes on file:// pages.
    }
    var first = results()[0];
    if (first) first.focus();
  });

  // Arrow keys move between the search box and the results.
  document.addEventListener("keydown", function (event) {
    var links = results();
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && (document.activeElement === input || at >= 0)) {
      if (at + 1 < links.length) { links[at + 1].focus(); event.preventDefault(); }
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at === 0 ? input : links[at - 1]).focus();
      event.preventDefault();
    } else if (event.key === "/" && document.activeElement !== input) {
      input.focus();
      event.preventDefault();
    }
  });

  var query = "";
  try {
    query = new URLSearchParams(window.location.search).get("q") || "";
  } catch (e) {
    query = "";
  }
  if (query) {
    input.value = query;
    show(query);
  }
  input.focus();
})();
