// Progressive enhancement only: every page works without this script.
"use strict";

// Forms that destroy something ask first.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("form.confirm") && !window.confirm(form.dataset.confirm || "?")) {
    event.preventDefault();
  }
});

// A thread page shows new comments as they are written.
function depthOf(node) {
  const m = /depth-(\d+)/.exec(node.className);
  return m ? Number(m[1]) : 0;
}

function placeComment(thread, data) {
  if (document.getElementById("post-" + data.id)) {
    return; // already on the page (one's own, after posting)
  }
  const holder = document.createElement("div");
  holder.innerHTML = data.html; // rendered and sanitised by the server
  const node = holder.firstElementChild;
  const parentPost = data.parent && document.getElementById("post-" + data.parent);
  const parentNode = parentPost ? parentPost.closest(".node") : null;
  const depth = parentNode ? Math.min(depthOf(parentNode) + 1, 6) : 1;
  node.classList.add("depth-" + depth);
  // After the parent's last descendant, so the tree keeps its order.
  let after = parentNode;
  if (after) {
    let next = after.nextElementSibling;
    while (next && next.classList.contains("node") && depthOf(next) >= depth) {
      after = next;
      next = next.nextElementSibling;
    }
    after.after(node);
  } else {
    thread.append(node);
  }
  const live = document.getElementById("live-status");
  if (live) {
    live.textContent = live.dataset.text || "";
  }
}

const thread = document.querySelector(".thread[data-thread]");
if (thread && window.EventSource) {
  const source = new EventSource("/posts/" + thread.dataset.thread + "/live");
  source.addEventListener("comment", (event) => placeComment(thread, JSON.parse(event.data)));
}
