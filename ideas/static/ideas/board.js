// The backlog board by pointer: drag an item onto another column. Progressive enhancement over
// the item's own move buttons (forms that work without JavaScript and by keyboard): a drop
// submits the item's form for that column, so the move goes through the same route and rules.
// A drop on "rejected" opens the item's rejection form instead, because a rejection needs a reason.
(function () {
  "use strict";
  var board = document.querySelector(".backlog-board");
  if (!board) return;
  var dragged = null;

  board.querySelectorAll(".backlog-board__item").forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.id);
      item.classList.add("backlog-board__item--dragging");
    });
    item.addEventListener("dragend", function () {
      item.classList.remove("backlog-board__item--dragging");
      dragged = null;
      board.querySelectorAll(".backlog-board__column--target").forEach(function (column) {
        column.classList.remove("backlog-board__column--target");
      });
    });
  });

  function moveForm(item, status) {
    var inputs = item.querySelectorAll(".backlog-board__moves form input[type=hidden][name$='-status']");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value === status && !inputs[i].closest(".backlog-board__reject")) return inputs[i].form;
    }
    return null;
  }

  board.querySelectorAll(".backlog-board__column").forEach(function (column) {
    var status = column.getAttribute("data-status");
    column.addEventListener("dragover", function (event) {
      if (!dragged || dragged.closest(".backlog-board__column") === column) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      column.classList.add("backlog-board__column--target");
    });
    column.addEventListener("dragleave", function (event) {
      if (!column.contains(event.relatedTarget)) column.classList.remove("backlog-board__column--target");
    });
    column.addEventListener("drop", function (event) {
      event.preventDefault();
      column.classList.remove("backlog-board__column--target");
      var item = dragged;
      if (!item) return;
      var form = moveForm(item, status);
      if (form) {
        form.requestSubmit();
        return;
      }
      var reject = item.querySelector(".backlog-board__reject");
      if (reject && status === column.getAttribute("data-rejected")) {
        reject.open = true;
        var reason = reject.querySelector("textarea");
        if (reason) reason.focus();
      }
    });
  });
})();
