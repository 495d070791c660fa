// Sinorus links: after a selection in the reader, offer "Link to…", which opens the link form
// with the selected passage. The conversions come from reader.js (window.sinorusReader).
(function () {
  "use strict";

  const panel = document.getElementById("links");
  const toolbar = document.getElementById("toolbar");
  if (!panel || !toolbar || !window.sinorusReader) return;

  const action = document.createElement("p");
  action.className = "link-action";
  const anchor = document.createElement("a");
  anchor.className = "button secondary";
  anchor.id = "link-to";
  anchor.textContent = "Link to…";
  anchor.href = panel.dataset.linkUrl;
  action.appendChild(anchor);
  toolbar.appendChild(action);

  // The form's URL carries the selection as code point offsets, as the highlight API does.
  function remember() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    const span = window.sinorusReader.spanOf(selection.getRangeAt(0));
    if (!span) return;
    const url = new URL(panel.dataset.linkUrl, window.location.href);
    url.searchParams.set("start", span.start);
    url.searchParams.set("end", span.end);
    anchor.href = url.pathname + url.search;
  }

  document.addEventListener("selectionchange", remember);
})();
