// Progressive enhancement only: the library's upload forms work without this
// script. With it, a file dropped on a form fills its file input; the person
// still reads what was chosen and sends the form.
"use strict";

function chosen(form, input) {
  const note = form.querySelector("[data-chosen]");
  if (note && input.files.length > 0) {
    note.textContent = note.dataset.chosen + " " + input.files[0].name;
  }
}

function dropZone(form) {
  const input = form.querySelector('input[type="file"]');
  if (!input) {
    return;
  }
  // The hint that a file may be dropped shows only where dropping works.
  form.querySelectorAll("[data-drop-hint]").forEach((hint) => {
    hint.hidden = false;
  });
  const over = (event) => {
    if (event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files")) {
      event.preventDefault();
      form.classList.add("dragging");
    }
  };
  form.addEventListener("dragenter", over);
  form.addEventListener("dragover", over);
  form.addEventListener("dragleave", (event) => {
    if (!form.contains(event.relatedTarget)) {
      form.classList.remove("dragging");
    }
  });
  form.addEventListener("drop", (event) => {
    event.preventDefault();
    form.classList.remove("dragging");
    const files = event.dataTransfer ? event.dataTransfer.files : null;
    if (!files || files.length === 0) {
      return;
    }
    // One file per upload: the first of several.
    const one = new DataTransfer();
    one.items.add(files[0]);
    input.files = one.files;
    chosen(form, input);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  input.addEventListener("change", () => chosen(form, input));
}

const zones = document.querySelectorAll("form.drop-zone");
zones.forEach(dropZone);
if (zones.length > 0) {
  // A file dropped beside a form is not opened in place of the page.
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => event.preventDefault());
}
