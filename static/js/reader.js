// Sinorus reader: turn a text selection into code point offsets and tag it with one key.
//
// JavaScript strings count UTF-16 code units; the server counts Unicode code points. Every
// offset sent to the server is computed by counting code points (for...of iterates them), so
// emoji and other text outside the Basic Multilingual Plane never shift a highlight.
(function () {
  "use strict";

  const textData = document.getElementById("article-text-data");
  if (!textData) return;
  const CODEPOINTS = Array.from(JSON.parse(textData.textContent));
  const SENTENCES = JSON.parse(document.getElementById("sentence-data").textContent);
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  const CSRF = headers["x-csrftoken"] || "";

  // Let htmx swap the form errors (400) and edit conflicts (409) it is shown.
  if (window.htmx) {
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "(400|409)", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
    ];
  }

  let pending = null; // {start, end, exact} of the current selection, in code points
  let position = null; // the last span selected or tagged: j and k go on from here
  let markCursor = -1;

  const $ = (id) => document.getElementById(id);
  const workspace = () => $("workspace");
  const textRoot = () => $("article-text");
  const toolbar = () => $("toolbar");
  const isSpace = (ch) => /\s/u.test(ch);

  function codePointLength(str) {
    let n = 0;
    for (const _ of str) n++; // eslint-disable-line no-unused-vars
    return n;
  }

  // A DOM boundary point -> code point offset into the article's cleaned text.
  function toOffset(node, offset) {
    const root = textRoot();
    if (node === root) {
      const kids = root.childNodes;
      for (let i = offset; i < kids.length; i++) {
        if (kids[i].nodeType === 1 && kids[i].dataset.start) return Number(kids[i].dataset.start);
      }
      return CODEPOINTS.length;
    }
    const element = node.nodeType === 1 ? node : node.parentElement;
    const para = element && element.closest("[data-start]");
    if (!para || !root.contains(para)) return null;
    const range = document.createRange();
    range.setStart(para, 0);
    range.setEnd(node, offset);
    return Number(para.dataset.start) + codePointLength(range.toString());
  }

  // A code point offset -> DOM boundary point (text node and UTF-16 index).
  function toDom(cp) {
    for (const para of textRoot().querySelectorAll("[data-start]")) {
      const start = Number(para.dataset.start);
      const end = Number(para.dataset.end);
      if (cp < start || cp > end) continue;
      let remaining = cp - start;
      const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode())) {
        const length = codePointLength(node.data);
        if (remaining <= length) {
          let index = 0;
          for (let k = 0; k < remaining; k++) index += node.data.codePointAt(index) > 0xffff ? 2 : 1;
          return [node, index];
        }
        remaining -= length;
      }
      return [para, para.childNodes.length];
    }
    return null;
  }

  function spanOf(range) {
    const root = textRoot();
    if (!root) return null;
    const clipped = range.cloneRange();
    if (!root.contains(clipped.startContainer)) {
      if (clipped.comparePoint(root, 0) < 0) return null;
      clipped.setStart(root, 0);
    }
    if (!root.contains(clipped.endContainer)) {
      if (clipped.comparePoint(root, root.childNodes.length) > 0) return null;
      clipped.setEnd(root, root.childNodes.length);
    }
    let start = toOffset(clipped.startContainer, clipped.startOffset);
    let end = toOffset(clipped.endContainer, clipped.endOffset);
    if (start === null || end === null) return null;
    while (start < end && isSpace(CODEPOINTS[start])) start++;
    while (end > start && isSpace(CODEPOINTS[end - 1])) end--;
    if (start >= end) return null;
    return { start, end, exact: CODEPOINTS.slice(start, end).join("") };
  }

  function selectSpan(start, end) {
    const a = toDom(start);
    const b = toDom(end);
    if (!a || !b) return;
    const range = document.createRange();
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    pending = { start, end, exact: CODEPOINTS.slice(start, end).join("") };
    position = pending;
    showToolbar(range);
    const element = a[0].nodeType === 1 ? a[0] : a[0].parentElement;
    element.scrollIntoView({ block: "nearest" });
  }

  function canAnnotate() {
    const ws = workspace();
    return ws && ws.dataset.signedIn === "1" && ws.dataset.canAnnotate === "1" && toolbar();
  }

  function status(message) {
    const line = document.querySelector(".toolbar-status");
    if (line) line.textContent = message;
  }

  function showToolbar(range) {
    const bar = toolbar();
    if (!bar) return;
    const rect = range.getBoundingClientRect();
    bar.hidden = false;
    const top = window.scrollY + rect.bottom + 8;
    const left = Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - bar.offsetWidth - 8));
    bar.style.top = `${top}px`;
    bar.style.left = `${left}px`;
    // a phone has no keys to press: its reader taps a tag of the toolbar
    const how = window.matchMedia("(pointer: coarse)").matches ? "Tap a tag" : `Press ${keyList()}`;
    status(pending ? `Selected: “${pending.exact.slice(0, 80)}${pending.exact.length > 80 ? "…" : ""}”. ${how} to tag.` : "");
  }

  function hideToolbar() {
    const bar = toolbar();
    if (bar) bar.hidden = true;
    pending = null;
  }

  // The sidebar drawn again after a save. Saves answered while a refresh is on its way ask for one
  // more after it (htmx drops a request on an element already waiting for one, which left the
  // sidebar without the last tags of a quick run of them).
  let refreshing = null;
  let refreshAgain = false;
  function refresh() {
    if (refreshing) {
      refreshAgain = true;
      return refreshing;
    }
    const ws = workspace();
    refreshing = htmx.ajax("GET", ws.dataset.readerUrl, { target: "#workspace", swap: "outerHTML" }).finally(() => {
      refreshing = null;
      if (refreshAgain) {
        refreshAgain = false;
        refresh();
      }
    });
    return refreshing;
  }

  async function createAnnotation(tag) {
    if (!pending || !canAnnotate()) return;
    const span = pending;
    const note = $("toolbar-note").value;
    status("Saving…");
    let response;
    try {
      response = await fetch(workspace().dataset.apiUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": CSRF, Accept: "application/ld+json" },
        body: JSON.stringify({ start: span.start, end: span.end, exact: span.exact, tag, note }),
      });
    } catch (error) {
      status("Not saved: the server cannot be reached. Your selection is kept; try again.");
      return;
    }
    if (response.status === 201) {
      // A selection made while this one was saving (j then a key, quickly) is the next to tag: keep it.
      if (pending === span) {
        $("toolbar-note").value = "";
        window.getSelection().removeAllRanges();
        hideToolbar();
      }
      await refresh();
      announce(`Tagged as ${tag}.`);
    } else {
      const body = await response.json().catch(() => ({ error: response.statusText }));
      status(`Not saved: ${body.error || response.status}`);
    }
  }

  function announce(message) {
    let live = $("reader-live");
    if (!live) {
      live = document.createElement("p");
      live.id = "reader-live";
      live.className = "sr-only";
      live.setAttribute("role", "status");
      document.body.appendChild(live);
    }
    live.textContent = message;
  }

  // Sentence-wise keyboard selection: j / k move, J / K extend or shrink.
  function sentenceAt(cp) {
    for (let i = 0; i < SENTENCES.length; i++) if (SENTENCES[i][1] > cp) return i;
    return SENTENCES.length - 1;
  }

  function moveSentence(step, extend) {
    if (!SENTENCES.length) return;
    if (extend && pending) {
      const last = sentenceAt(pending.end - 1);
      const target = Math.max(sentenceAt(pending.start), Math.min(SENTENCES.length - 1, last + step));
      selectSpan(pending.start, SENTENCES[target][1]);
      return;
    }
    let index;
    const from = pending || position;
    // on from the span's last sentence (j) or its first (k): a span of several is passed whole
    if (from) index = step > 0 ? sentenceAt(from.end - 1) + step : sentenceAt(from.start) + step;
    else index = step > 0 ? 0 : SENTENCES.length - 1;
    index = Math.max(0, Math.min(SENTENCES.length - 1, index));
    selectSpan(SENTENCES[index][0], SENTENCES[index][1]);
  }

  // Who the shallow marks name ({id: [tag, annotator, mine]}); parsed once per workspace.
  let dataNode = null;
  let dataCache = {};
  function highlightData() {
    const node = $("highlight-data");
    if (node !== dataNode) {
      dataNode = node;
      dataCache = node ? JSON.parse(node.textContent) : {};
    }
    return dataCache;
  }

  // A mark under a few highlights names them; a deeper one says how many, and a click lists them.
  function describe(mark) {
    const ids = (mark.dataset.ids || "").split(" ").filter(Boolean);
    if (ids.length) {
      const data = highlightData();
      return ids.filter((id) => data[id]).map((id) => `${data[id][0]} · ${data[id][1]}${data[id][2] ? " (you)" : ""}`);
    }
    return [mark.getAttribute("aria-label").replace(/^Highlight: /, ""), "Click to list them"];
  }

  function showPopover(mark) {
    const pop = $("hl-popover");
    if (!pop) return;
    pop.replaceChildren(...describe(mark).map((line) => Object.assign(document.createElement("div"), { textContent: line })));
    const rect = mark.getBoundingClientRect();
    pop.hidden = false;
    pop.style.top = `${window.scrollY + rect.top - pop.offsetHeight - 6}px`;
    pop.style.left = `${window.scrollX + rect.left}px`;
  }

  function hidePopover() {
    const pop = $("hl-popover");
    if (pop) pop.hidden = true;
  }

  // Marks are focusable only while the keyboard is on them: a focusable element under the
  // pointer would swallow a drag that starts on it, and reviewers select over highlights.
  function focusMark(mark) {
    mark.tabIndex = -1;
    mark.focus();
  }

  function highlightStarts() {
    return Array.from(textRoot().querySelectorAll("mark[data-begin]"));
  }

  function moveHighlight(step) {
    const marks = highlightStarts();
    if (!marks.length) return;
    const current = marks.indexOf(document.activeElement);
    markCursor = current >= 0 ? current + step : step > 0 ? 0 : marks.length - 1;
    markCursor = Math.max(0, Math.min(marks.length - 1, markCursor));
    focusMark(marks[markCursor]);
    marks[markCursor].scrollIntoView({ block: "nearest" });
  }

  function markEnd(mark) {
    return Number(mark.dataset.s) + codePointLength(mark.textContent);
  }

  // The mark holding code point `cp`: marks are in document order, so a binary search on data-s.
  function markAt(cp) {
    const marks = textRoot().querySelectorAll("mark.hl");
    let low = 0;
    let high = marks.length - 1;
    let found = null;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (Number(marks[middle].dataset.s) <= cp) {
        found = marks[middle];
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found && cp < markEnd(found) ? found : null;
  }

  function jumpTo(start) {
    const mark = markAt(Number(start));
    if (!mark) return;
    mark.scrollIntoView({ block: "center" });
    focusMark(mark);
    mark.classList.add("flash");
    setTimeout(() => mark.classList.remove("flash"), 1200);
  }

  // The code point under the pointer, inside `mark`: the caret lands before or after the
  // character clicked, so the character before the caret counts when the pointer is on it.
  function pointIn(mark, x, y) {
    let node = null;
    let offset = 0;
    if (document.caretPositionFromPoint) {
      const caret = document.caretPositionFromPoint(x, y);
      if (caret) [node, offset] = [caret.offsetNode, caret.offset];
    } else if (document.caretRangeFromPoint) {
      const caret = document.caretRangeFromPoint(x, y);
      if (caret) [node, offset] = [caret.startContainer, caret.startOffset];
    }
    const start = Number(mark.dataset.s);
    if (!node || node.nodeType !== 3 || !mark.contains(node)) return start;
    let cp = toOffset(node, offset);
    if (cp === null) return start;
    if (offset > 0) {
      const width = offset > 1 && /[\udc00-\udfff]/.test(node.data[offset - 1]) ? 2 : 1;
      const before = document.createRange();
      before.setStart(node, offset - width);
      before.setEnd(node, offset);
      const box = before.getBoundingClientRect();
      if (x >= box.left && x <= box.right && y >= box.top && y <= box.bottom) cp -= 1;
    }
    return Math.max(start, Math.min(markEnd(mark) - 1, cp));
  }

  // Details on demand: the sidebar lists the annotations covering one spot, a page at a time.
  function showAt(mark, cp, focusFirst) {
    const url = new URL(workspace().dataset.readerUrl, window.location.href);
    url.searchParams.set("at", cp);
    url.searchParams.delete("limit");
    for (const picked of textRoot().querySelectorAll("mark.picked")) picked.classList.remove("picked");
    mark.classList.add("picked");
    // No settle delay: htmx enables the new list's links when it settles, and focus goes to the
    // list as soon as the promise resolves; a key pressed in between would follow a bare link.
    return htmx.ajax("GET", url.pathname + url.search, { target: "#listing", swap: "outerHTML settle:0ms" }).then(() => {
      const listing = $("listing");
      if (!listing) return;
      const first = listing.querySelector(".ann a, .ann button");
      if (focusFirst && first) first.focus();
      else listing.scrollIntoView({ block: "nearest" });
    });
  }

  function keyList() {
    const keys = Array.from(document.querySelectorAll("#toolbar [aria-keyshortcuts]"), (b) => b.getAttribute("aria-keyshortcuts"));
    return keys.length > 1 ? `${keys.slice(0, -1).join(", ")} or ${keys[keys.length - 1]}` : keys.join("");
  }

  function keyToTag(key) {
    const button = document.querySelector(`#toolbar [aria-keyshortcuts="${CSS.escape(key)}"]`);
    return button ? button.dataset.tag : null;
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "Escape") {
      window.getSelection().removeAllRanges();
      hideToolbar();
      hidePopover();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = keyToTag(event.key);
    if (tag && pending) {
      event.preventDefault();
      createAnnotation(tag);
      return;
    }
    const actions = {
      j: () => moveSentence(1, false),
      k: () => moveSentence(-1, false),
      J: () => moveSentence(1, true),
      K: () => moveSentence(-1, true),
      n: () => moveHighlight(1),
      p: () => moveHighlight(-1),
      // c: the note of the selection, without tabbing through the whole sidebar to reach it
      c: () => pending && !toolbar().hidden && $("toolbar-note").focus(),
    };
    if (actions[event.key] && textRoot()) {
      event.preventDefault();
      actions[event.key]();
      return;
    }
    if (event.key === "Enter" && target.matches && target.matches("mark.hl")) {
      event.preventDefault();
      showAt(target, Number(target.dataset.s), true);
    }
  });

  document.addEventListener("mouseup", (event) => {
    if (event.target.closest("#toolbar")) return;
    setTimeout(() => {
      const selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) {
        hideToolbar();
        return;
      }
      const span = spanOf(selection.getRangeAt(0));
      if (span && canAnnotate()) {
        pending = position = span;
        showToolbar(selection.getRangeAt(0));
      } else {
        hideToolbar();
      }
    }, 0);
  });

  // A selection made by touch (long press, then the handles) ends in no mouseup: once it has
  // settled, the toolbar comes as it does after a drag with the mouse.
  let pointer = "mouse";
  let settling = null;
  document.addEventListener("pointerdown", (event) => {
    pointer = event.pointerType;
  });
  document.addEventListener("selectionchange", () => {
    if (pointer !== "touch") return;
    clearTimeout(settling);
    settling = setTimeout(() => {
      const selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) return;
      const span = spanOf(selection.getRangeAt(0));
      if (span && canAnnotate()) {
        pending = position = span;
        showToolbar(selection.getRangeAt(0));
      }
    }, 400);
  });

  // Keyboard selection with Shift+arrows (caret browsing) ends in a keyup.
  document.addEventListener("keyup", (event) => {
    if (!event.shiftKey || !event.key.startsWith("Arrow")) return;
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    const span = spanOf(selection.getRangeAt(0));
    if (span && canAnnotate()) {
      pending = span;
      showToolbar(selection.getRangeAt(0));
    }
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("#toolbar [data-tag]");
    if (button) {
      createAnnotation(button.dataset.tag);
      return;
    }
    const jump = event.target.closest("[data-jump]");
    if (jump) {
      event.preventDefault();
      jumpTo(jump.dataset.jump);
      return;
    }
    const mark = event.target.closest("#article-text mark.hl");
    if (mark && window.getSelection().isCollapsed) showAt(mark, pointIn(mark, event.clientX, event.clientY), false);
  });

  document.addEventListener("mouseover", (event) => {
    const mark = event.target.closest && event.target.closest("mark.hl");
    if (mark) showPopover(mark);
  });
  document.addEventListener("mouseout", (event) => {
    if (event.target.closest && event.target.closest("mark.hl")) hidePopover();
  });
  document.addEventListener("focusin", (event) => {
    if (event.target.matches && event.target.matches("mark.hl")) showPopover(event.target);
  });
  document.addEventListener("focusout", (event) => {
    if (event.target.matches && event.target.matches("mark.hl")) {
      hidePopover();
      event.target.removeAttribute("tabindex");
    }
  });

  // A delete draws the workspace again, and the focused Delete button goes with it: the keyboard
  // goes on from the Undo that takes its place, not from the top of the page. An undo likewise
  // goes on from the annotation it brought back (its first action in the sidebar).
  // An edit saved or cancelled likewise goes on from its annotation (or, after a conflict, from
  // the form shown again), and a reply from its thread's reply box.
  let restored = null;
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.target.closest && event.target.closest("form.undo, form.edit-form");
    const found = form && /\/annotations\/(\d+)\//.exec(form.getAttribute("action") || "");
    restored = found ? found[1] : null;
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const focused = document.activeElement;
    if (focused && focused !== document.body && focused.isConnected) return;
    const settled = event.target;
    const thread = settled && settled.matches && settled.matches(".thread") ? settled : null;
    if (thread) {  // a reply posted: the keyboard goes on in its thread, ready for the next one
      const box = thread.querySelector("form textarea");
      if (box) box.focus();
      return;
    }
    const item = restored && document.getElementById(`a${restored}`);
    const again = item && item.querySelector(".edit-form select, .edit-form textarea");
    const target = again || (item ? item.querySelector("a, button") : document.querySelector("#workspace form.undo button"));
    restored = null;
    if (target) target.focus();
  });

  // Without htmx (a press before it bound the form), a change reloads the page at its annotation
  // (#a12): the keyboard goes on from there too, as it does after a swap.
  // (After the load: the browser's own jump to the fragment would take the focus away again.)
  window.addEventListener("load", () => {
    const landed = /^#a(\d+)$/.exec(window.location.hash);
    const item = landed && document.querySelector(`#listing li#a${landed[1]}`);
    const first = item && item.querySelector("a, button");
    if (first && document.activeElement === document.body) first.focus();
  });

  // Expose the conversions for tests and for other tools embedding the reader.
  window.sinorusReader = { toOffset, toDom, spanOf, selectSpan, codePointLength };
})();
